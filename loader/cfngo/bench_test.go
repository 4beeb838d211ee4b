package cfngo

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/awslabs/goformation/v7"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/loader"
)

// benchTemplate is the corpus's largest template (35 resources, 34.7 kB) that
// goformation's default parse accepts.
const benchTemplate = "../../testdata/corpus/k-cdk-internal-noise/cdk.out/StaticSite.template.json"

// BenchmarkParse measures goformation's parse against encoding/json (and
// iamvet's own scanner and this package's conversion) on one corpus template.
// Measured on 2 shared cores: encoding/json 0.63–0.82 ms and 139 kB per
// parse, goformation.ParseJSON 17.7–21.5 ms and 9.2 MB (44,000 allocations,
// most from cloudformation.AllResources building all its types once per
// resource), cfn.ParseJSON 0.44–0.53 ms, ToGoformation from a parsed tree
// 1.4–1.7 ms.
func BenchmarkParse(b *testing.B) {
	src, err := os.ReadFile(benchTemplate)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			var v interface{}
			if err := json.Unmarshal(src, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goformation", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := goformation.ParseJSON(src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cfn.ParseJSON", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := cfn.ParseJSON(src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ToGoformation", func(b *testing.B) {
		root, err := cfn.ParseJSON(src)
		if err != nil {
			b.Fatal(err)
		}
		s := &loader.Stack{ArtifactID: "StaticSite", Template: &cfn.Template{Root: root, Src: src}}
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, errs := ToGoformation(s); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
	})
}
