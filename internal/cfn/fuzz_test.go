package cfn

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"
)

// corpusSeeds returns the corpus templates (JSON) as fuzz seeds.
func corpusSeeds(f *testing.F) [][]byte {
	f.Helper()
	paths, _ := filepath.Glob("../../testdata/corpus/*/cdk.out/*.template.json")
	nested, _ := filepath.Glob("../../testdata/corpus/*/cdk.out/*/*.template.json")
	var out [][]byte
	for _, p := range append(paths, nested...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		f.Fatal("no corpus templates found")
	}
	return out
}

var jsonSeeds = []string{
	`{}`, `[]`, `{"a": [1, -2.5e3, true, false, null, "s\u00e9\n"]}`, "\xef\xbb\xbf{\"bom\": 1}",
	`{"a": 1, "a": 2}`, `{"a": {"b": {"c": [[[]]]}}}`, `{"k": "\ud800"}`, `[1,`, `{"a" 1}`, `01`,
	`{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "Bucket"}, "/*"]]}`,
	`{"Fn::Sub": ["${A}-${!B}-${C.D}", {"A": {"Fn::GetAtt": ["X", "Y"]}}]}`,
	`{"Fn::If": ["C", {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]}, {"Fn::ImportValue": "E"}]}`,
}

// strictJSON reports whether encoding/json accepts src as one object or
// array with no duplicate keys (decoded), valid UTF-8 and at most MaxDepth
// levels: the inputs ParseJSON must accept too.
func strictJSON(src []byte) bool {
	if !utf8.Valid(src) || !json.Valid(src) {
		return false
	}
	t := bytes.TrimLeft(src, " \t\r\n")
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	type frame struct {
		obj    bool
		keys   map[string]bool
		expKey bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].obj {
				stack[len(stack)-1].expKey = true
			}
			continue
		}
		if top != nil && top.obj && top.expKey {
			k := tok.(string)
			if top.keys[k] {
				return false
			}
			top.keys[k] = true
			top.expKey = false
			continue
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, &frame{obj: d == '{', keys: map[string]bool{}, expKey: d == '{'})
			if len(stack) > MaxDepth+1 {
				return false
			}
			continue
		}
		if top != nil && top.obj {
			top.expKey = true
		}
	}
}

// plainValue converts a tree to what encoding/json decodes (UseNumber).
func plainValue(n *Node) any {
	switch n.Kind {
	case Null:
		return nil
	case Bool:
		return n.Str == "true"
	case Number:
		return json.Number(n.Str)
	case String:
		return n.Str
	case Array:
		out := make([]any, len(n.Vals))
		for i, v := range n.Vals {
			out[i] = plainValue(v)
		}
		return out
	}
	out := make(map[string]any, len(n.Keys))
	for i, k := range n.Keys {
		out[k] = plainValue(n.Vals[i])
	}
	return out
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range corpusSeeds(f) {
		f.Add(s)
	}
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		n, err := ParseJSON(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Offset < 0 || se.Offset > len(src) {
				t.Fatalf("error %v is not a SyntaxError inside the source", err)
			}
			if strictJSON(src) {
				t.Fatalf("encoding/json accepts %q but ParseJSON: %v", src, err)
			}
			return
		}
		if p := spanProblem(n, len(src)); p != "" {
			t.Fatal(p)
		}
		if strictJSON(src) {
			dec := json.NewDecoder(bytes.NewReader(src))
			dec.UseNumber()
			var want any
			if err := dec.Decode(&want); err != nil {
				t.Fatal(err)
			}
			if got := plainValue(n); !reflect.DeepEqual(got, want) {
				t.Fatalf("ParseJSON(%q) = %#v, encoding/json %#v", src, got, want)
			}
		}
	})
}

var yamlSeeds = []string{
	"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Arn: !GetAtt A.B\n      N: !Sub \"${X}\"\n",
	"a: &x [1, 2]\nb: *x\n", "v: !If [C, !Ref A, !Ref \"AWS::NoValue\"]", "v: !Join ['', [a, !Ref B]]",
	"v: !Select [0, !GetAZs '']", "v: !Cidr [!GetAtt Vpc.CidrBlock, 6, 8]", "v: |\n  block\n",
	"v: !GetAtt \"A.B\"", "v: !Sub |\n  x ${Y}\n", "? [a]\n: 1\n", "a: 1\na: 2\n", "- - - x\n",
	"\xef\xbb\xbfa: 1\n", "v: !FindInMap [M, !Ref \"AWS::Region\", K]", "v: !Base64 {Fn::Sub: x}",
}

func FuzzParseYAML(f *testing.F) {
	for _, s := range corpusSeeds(f) {
		f.Add(s)
	}
	for _, s := range yamlSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		n, err := ParseYAML(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a SyntaxError", err)
			}
			if se.Offset < 0 || se.Offset > len(src) {
				t.Fatalf("error offset %d outside the source (%d bytes): %v", se.Offset, len(src), err)
			}
			return
		}
		if p := spanProblem(n, len(src)); p != "" {
			t.Fatalf("ParseYAML(%q): %s", src, p)
		}
	})
}

func FuzzSym(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	for _, s := range corpusSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		root, err := ParseJSON(src)
		if err != nil {
			return
		}
		var nodes []*Node
		var walk func(n *Node)
		walk = func(n *Node) {
			nodes = append(nodes, n)
			for _, c := range n.Vals {
				walk(c)
			}
		}
		walk(root)
		for i, n := range nodes {
			s1, k1 := Sym(n)
			s2, k2 := Sym(n)
			if s1 != s2 || k1 != k2 {
				t.Fatalf("Sym is not deterministic: %q/%v vs %q/%v", s1, k1, s2, k2)
			}
			if lit, ok := n.Literal(); ok && (s1 != lit || !k1) {
				t.Fatalf("Sym(literal %q) = %q, %v", lit, s1, k1)
			}
			if name, arg, ok := n.Intrinsic(); ok && (name == "Ref" || name == "Fn::GetAtt") && k1 {
				t.Fatalf("Sym(%s %s) = %q claims to be known", name, render(arg), s1)
			}
			if n.Kind == Array || n.Kind == Null {
				if s1 != Unknown || k1 {
					t.Fatalf("Sym(%s) = %q, %v", render(n), s1, k1)
				}
			}
			_ = Refs(n)
			if i < 200 {
				ptr, ok := PointerTo(root, n)
				if !ok {
					t.Fatalf("PointerTo(%s) not found", render(n))
				}
				if back := Resolve(root, ptr); back != n {
					t.Fatalf("Resolve(%q) = %s, want %s", ptr, render(back), render(n))
				}
			}
		}
	})
}
