package gen

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/loader/cfngo"
)

func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func TestAssemblyDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := Assembly(d, 6, 6*20<<10, 42); err != nil {
			t.Fatal(err)
		}
	}
	if err := Assembly(c, 6, 6*20<<10, 43); err != nil {
		t.Fatal(err)
	}
	fa, fb, fc := files(t, a), files(t, b), files(t, c)
	if len(fa) != 13 { // manifest + 6 templates + 6 metadata files
		t.Fatalf("%d files: %v", len(fa), keys(fa))
	}
	for name, content := range fa {
		if !bytes.Equal(content, fb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	same := 0
	for name, content := range fa {
		if bytes.Equal(content, fc[name]) {
			same++
		}
	}
	if same == len(fa) {
		t.Error("another seed gives the same assembly")
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestAssemblySize(t *testing.T) {
	for _, tc := range []struct {
		stacks int
		target int64
	}{{1, 8 << 10}, {4, 4 * 64 << 10}, {20, 20 * 32 << 10}} {
		dir := t.TempDir()
		if err := Assembly(dir, tc.stacks, tc.target, 1); err != nil {
			t.Fatal(err)
		}
		tpls, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
		var total int64
		for _, p := range tpls {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			total += fi.Size()
		}
		if len(tpls) != tc.stacks {
			t.Errorf("%d stacks: %d templates", tc.stacks, len(tpls))
		}
		// One unit (a function with its role and policy) is a few kB:
		// small targets overshoot by up to one unit.
		if lo, hi := tc.target*85/100, tc.target*115/100+8<<10; total < lo || total > hi {
			t.Errorf("%d stacks, target %d bytes: templates total %d", tc.stacks, tc.target, total)
		}
	}
	if err := Assembly(t.TempDir(), 0, 0, 1); err == nil {
		t.Error("0 stacks: no error")
	}
}

// TestAssemblyShape: the assembly loads without errors, and its templates
// have what CDK writes: construct paths in both the templates and the
// metadata side files (with creation traces), the bootstrap parameter and
// rule, CDKMetadata, Lambda roles with Fn::Join managed policies, default
// policies of 6–14 statements, buckets with an enforceSSL Deny and a
// grant, and trust policies of all three kinds.
func TestAssemblyShape(t *testing.T) {
	dir := t.TempDir()
	if err := Assembly(dir, 12, 12*48<<10, 3); err != nil {
		t.Fatal(err)
	}
	res := loader.Load([]string{dir}, loader.Options{})
	if len(res.Errors) > 0 {
		t.Fatalf("load errors: %v", res.Errors)
	}
	if len(res.Stacks) != 12 {
		t.Fatalf("%d stacks", len(res.Stacks))
	}
	counts := map[string]int{}
	for _, s := range res.Stacks {
		root := s.Template.Root
		if root.Path("Parameters", "BootstrapVersion", "Type") == nil || root.Path("Rules", "CheckBootstrapVersion", "Assertions") == nil {
			t.Errorf("%s: no BootstrapVersion parameter or CheckBootstrapVersion rule", s.Name())
		}
		if s.Environment == "" || len(s.AssemblyAccounts) == 0 {
			t.Errorf("%s: no environment", s.Name())
		}
		res := root.Get("Resources")
		for i, id := range res.Keys {
			r := res.Vals[i]
			typ, _ := r.Get("Type").Literal()
			counts[typ]++
			path, _ := r.Path("Metadata", "aws:cdk:path").Literal()
			if !strings.HasPrefix(path, s.ArtifactID+"/") {
				t.Errorf("%s/%s: aws:cdk:path %q", s.Name(), id, path)
			}
			if m := s.Meta(path); m == nil || m.LogicalID != id || len(m.Trace) == 0 {
				t.Errorf("%s/%s: metadata side file entry %+v", s.Name(), id, m)
			}
			switch typ {
			case "AWS::IAM::Policy":
				n := len(r.Path("Properties", "PolicyDocument", "Statement").Elems())
				if n < 6 || n > 14 {
					t.Errorf("%s/%s: %d statements", s.Name(), id, n)
				}
				if _, _, ok := r.Path("Properties", "Roles").Elems()[0].Intrinsic(); !ok {
					t.Errorf("%s/%s: Roles is not a Ref", s.Name(), id)
				}
			case "AWS::IAM::Role":
				for _, st := range r.Path("Properties", "AssumeRolePolicyDocument", "Statement").Elems() {
					p := st.Get("Principal")
					switch {
					case p.Get("Service") != nil:
						counts["trust:service"]++
					case p.Get("AWS").Kind == cfn.Object:
						counts["trust:account-root"]++
						if text, _ := cfn.Sym(p.Get("AWS")); text != "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" {
							t.Errorf("%s/%s: root principal renders %q", s.Name(), id, text)
						}
					default:
						counts["trust:cross-account"]++
					}
				}
				if _, _, ok := r.Path("Properties", "ManagedPolicyArns").Elems()[0].Intrinsic(); !ok {
					t.Errorf("%s/%s: managed policy ARN is not an Fn::Join", s.Name(), id)
				}
			case "AWS::S3::BucketPolicy":
				sts := r.Path("Properties", "PolicyDocument", "Statement").Elems()
				if len(sts) != 2 || sts[0].Get("Effect").Str != "Deny" || sts[0].Path("Condition", "Bool", "aws:SecureTransport").Str != "false" || sts[1].Get("Effect").Str != "Allow" {
					t.Errorf("%s/%s: bucket policy is not enforceSSL + grant", s.Name(), id)
				}
			case "AWS::Lambda::Function":
				if name, _, ok := r.Path("Properties", "Role").Intrinsic(); !ok || name != "Fn::GetAtt" {
					t.Errorf("%s/%s: Role is not a Fn::GetAtt", s.Name(), id)
				}
			}
		}
		// goformation reads every resource back as its typed struct, but
		// AWS::CDK::Metadata, which it does not model.
		_, errs := cfngo.ToGoformation(s)
		for _, err := range errs {
			if e, ok := err.(*cfngo.Error); !ok || e.Type != "AWS::CDK::Metadata" {
				t.Errorf("%s: goformation: %v", s.Name(), err)
			}
		}
	}
	for _, k := range []string{"AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Lambda::Function", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::CDK::Metadata",
		"trust:service", "trust:account-root", "trust:cross-account"} {
		if counts[k] == 0 {
			t.Errorf("no %s in the assembly: %v", k, counts)
		}
	}
	if counts["AWS::CDK::Metadata"] != 12 {
		t.Errorf("%d CDKMetadata resources", counts["AWS::CDK::Metadata"])
	}
}

// TestTemplateJSON: templates are indented with one space like CDK's, keep
// Type first in each resource, and escape no HTML.
func TestTemplateJSON(t *testing.T) {
	dir := t.TempDir()
	if err := Assembly(dir, 1, 16<<10, 5); err != nil {
		t.Fatal(err)
	}
	tpls, _ := filepath.Glob(filepath.Join(dir, "*.template.json"))
	src, err := os.ReadFile(tpls[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(src, []byte("{\n \"Resources\": {\n  \"")) || !bytes.Contains(src, []byte("\n   \"Type\": \"AWS::")) {
		t.Errorf("layout:\n%.200s", src)
	}
	if !bytes.Contains(src, []byte("Value<String>")) || bytes.Contains(src, []byte(`\u003c`)) {
		t.Error("HTML escaped")
	}
	var m map[string]any
	if err := json.Unmarshal(src, &m); err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Artifacts map[string]struct {
			Type                   string `json:"type"`
			AdditionalMetadataFile string `json:"additionalMetadataFile"`
		} `json:"artifacts"`
	}
	mb, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err := json.Unmarshal(mb, &manifest); err != nil || len(manifest.Artifacts) != 1 {
		t.Fatalf("manifest: %v %s", err, mb)
	}
	for id, a := range manifest.Artifacts {
		if a.Type != "aws:cloudformation:stack" || a.AdditionalMetadataFile != id+".metadata.json" {
			t.Errorf("artifact %s: %+v", id, a)
		}
	}
}
