package loader

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

func rj(r *rand.Rand, depth int) string {
	atoms := []string{`null`, `"x"`, `"aws:cdk:logicalId"`, `1`, `true`, `"a\u00e9\"b"`, `"\u003c"`, `"line \\n two"`, "\"\xff\"", `[]`, `{}`, `"AwsSolutions-IAM5"`, `"Res1234"`}
	switch k := r.Intn(6); {
	case depth > 2 || k < 3:
		return atoms[r.Intn(len(atoms))]
	case k == 3:
		var parts []string
		for i := r.Intn(4); i > 0; i-- {
			parts = append(parts, rj(r, depth+1))
		}
		return "[" + strings.Join(parts, ",") + "]"
	default:
		var parts []string
		for i := r.Intn(3); i > 0; i-- {
			parts = append(parts, `"k`+string(rune('a'+r.Intn(3)))+`":`+rj(r, depth+1))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
}

func randEntry(r *rand.Rand) string {
	if r.Intn(15) == 0 {
		return rj(r, 1)
	}
	types := []string{`"aws:cdk:logicalId"`, `"aws:cdk:creationStack"`, `"aws:cdk:acknowledged-rules"`, `"aws:cdk:acknowledge"`, `"aws:cdk:is-custom-resource-handler-x"`, `"other"`, `null`, `3`}
	var parts []string
	for i := r.Intn(4); i > 0; i-- {
		keys := []string{"type", "data", "trace", "Type", "DATA", "other", "type"}
		k := keys[r.Intn(len(keys))]
		var v string
		switch {
		case strings.EqualFold(k, "type"):
			v = types[r.Intn(len(types))]
		case strings.EqualFold(k, "trace") && r.Intn(3) > 0:
			v = `["a","b",null]`
			if r.Intn(4) == 0 {
				v = `["a",1]`
			}
		default:
			v = rj(r, 1)
			if r.Intn(2) == 0 {
				v = `["AwsSolutions-IAM5","x \u003c y",null]`
			}
		}
		parts = append(parts, `"`+k+`":`+v)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func TestDecodeMetadataEquivalence(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	fast := 0
	for i := 0; i < 20000; i++ { // 300,000 ran clean when the decoder was written
		var paths []string
		for j := r.Intn(4); j > 0; j-- {
			p := []string{`"/S/A"`, `"/S/B/Resource"`, `"S/A"`, `"/S"`}[r.Intn(4)]
			var v string
			switch r.Intn(8) {
			case 0:
				v = `null`
			case 1:
				v = rj(r, 1)
			default:
				var es []string
				for k := r.Intn(4); k > 0; k-- {
					es = append(es, randEntry(r))
				}
				v = "[" + strings.Join(es, ",") + "]"
			}
			paths = append(paths, p+":"+v)
		}
		src := "{" + strings.Join(paths, ",") + "}"
		if r.Intn(20) == 0 {
			src = rj(r, 0)
		}
		m, ok := decodeMetadata([]byte(src))
		if !ok {
			continue
		}
		fast++
		var side map[string][]metadataEntry
		if err := json.Unmarshal([]byte(src), &side); err != nil {
			t.Fatalf("fast path accepted what encoding/json rejects: %s: %v", src, err)
		}
		if (m == nil) != (side == nil) || len(m) != len(side) {
			t.Fatalf("maps differ on %s", src)
		}
		a, b := map[string]*ConstructMeta{}, map[string]*ConstructMeta{}
		// Keys differing only by the leading slash merge in map order: compare per key.
		for k := range m {
			a1, b1 := map[string]*ConstructMeta{}, map[string]*ConstructMeta{}
			addMetadata(a1, map[string][]metadataEntry{k: m[k]})
			addMetadata(b1, map[string][]metadataEntry{k: side[k]})
			if !reflect.DeepEqual(a1, b1) {
				t.Fatalf("differ on %s key %s:\n%#v\n%#v", src, k, a1[strings.TrimPrefix(k, "/")], b1[strings.TrimPrefix(k, "/")])
			}
		}
		_, _ = a, b
	}
	t.Logf("%d fast decodes compared", fast)
}
