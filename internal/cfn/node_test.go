package cfn

import (
	"go/token"
	"reflect"
	"testing"
)

func TestPointerEscaping(t *testing.T) {
	tests := []struct{ seg, esc string }{
		{"Statement", "Statement"},
		{"aws:PrincipalTag/team", "aws:PrincipalTag~1team"},
		{"a~b", "a~0b"},
		{"~/", "~0~1"},
		{"/~1", "~1~01"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := EscapePointer(tt.seg); got != tt.esc {
			t.Errorf("EscapePointer(%q) = %q, want %q", tt.seg, got, tt.esc)
		}
		if got := UnescapePointer(tt.esc); got != tt.seg {
			t.Errorf("UnescapePointer(%q) = %q, want %q", tt.esc, got, tt.seg)
		}
	}
}

const policyJSON = `{"Resources": {"Role": {"Properties": {"Policies": [{"PolicyDocument": {"Statement": [
 {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
  "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data", "odd~key": ["x", "y"]}}}]}}]}}}}`

const policyYAML = `Resources:
  Role:
    Properties:
      Policies:
        - PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [s3:GetObject, s3:PutObject]
                Condition:
                  StringEquals:
                    aws:PrincipalTag/team: data
                    odd~key: [x, y]
`

func TestPointerTo(t *testing.T) {
	for name, root := range map[string]*Node{"json": mustJSON(t, policyJSON), "yaml": mustYAML(t, policyYAML)} {
		st := root.Path("Resources", "Role", "Properties", "Policies").Vals[0].Path("PolicyDocument", "Statement").Vals[0]
		tests := []struct {
			n    *Node
			want string
		}{
			{root, ""},
			{st, "/Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0"},
			{st.Get("Action").Vals[1], "/Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Action/1"},
			{st.Path("Condition", "StringEquals", "aws:PrincipalTag/team"),
				"/Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Condition/StringEquals/aws:PrincipalTag~1team"},
			{st.Path("Condition", "StringEquals", "odd~key").Vals[1],
				"/Resources/Role/Properties/Policies/0/PolicyDocument/Statement/0/Condition/StringEquals/odd~0key/1"},
		}
		for _, tt := range tests {
			got, ok := PointerTo(root, tt.n)
			if !ok || got != tt.want {
				t.Errorf("%s: PointerTo(%s) = %q, %v; want %q", name, render(tt.n), got, ok, tt.want)
			}
			if back := Resolve(root, got); back != tt.n {
				t.Errorf("%s: Resolve(%q) = %s, want %s", name, got, render(back), render(tt.n))
			}
		}
		if _, ok := PointerTo(root, &Node{Kind: String, Str: "data"}); ok {
			t.Errorf("%s: PointerTo found a node that is not in the tree", name)
		}
	}
}

func TestResolve(t *testing.T) {
	root := mustJSON(t, `{"a": [{"b/c": 1, "d~e": 2}], "": 3}`)
	tests := map[string]string{
		"":            render(root),
		"/a/0/b~1c":   "1",
		"/a/0/d~0e":   "2",
		"/":           "3",
		"/a/1":        "<nil>",
		"/a/-1":       "<nil>",
		"/a/x":        "<nil>",
		"/a/0/b~1c/z": "<nil>",
		"a":           "<nil>",
		"/nope":       "<nil>",
	}
	for ptr, want := range tests {
		if got := render(Resolve(root, ptr)); got != want {
			t.Errorf("Resolve(%q) = %s, want %s", ptr, got, want)
		}
	}
}

func TestNodeAccessors(t *testing.T) {
	root := mustJSON(t, `{"Type": "AWS::IAM::Role", "N": 3, "B": false, "Z": null, "L": ["a"], "Ref": {"Ref": "X"},
	 "Two": {"Ref": "X", "Other": 1}, "Fn": {"Fn::GetAtt": ["A", "B"]}, "Cond": {"Condition": "C"}, "Plain": {"Name": "x"}}`)
	for key, want := range map[string]struct {
		lit string
		ok  bool
	}{"Type": {"AWS::IAM::Role", true}, "N": {"3", true}, "B": {"false", true}, "Z": {"", false}, "L": {"", false}, "Ref": {"", false}} {
		if lit, ok := root.Get(key).Literal(); lit != want.lit || ok != want.ok {
			t.Errorf("Literal(%s) = %q, %v", key, lit, ok)
		}
	}
	for key, want := range map[string]string{"Ref": "Ref", "Fn": "Fn::GetAtt", "Cond": "Condition", "Two": "", "Plain": "", "Type": "", "L": ""} {
		name, _, ok := root.Get(key).Intrinsic()
		if name != want || ok != (want != "") {
			t.Errorf("Intrinsic(%s) = %q, %v; want %q", key, name, ok, want)
		}
	}
	if got := len(root.Get("L").Elems()); got != 1 {
		t.Errorf("Elems(array) = %d", got)
	}
	if got := root.Get("Type").Elems(); len(got) != 1 || got[0] != root.Get("Type") {
		t.Errorf("Elems(scalar) = %v", got)
	}
	var nilNode *Node
	if nilNode.Get("x") != nil || nilNode.Path("a", "b") != nil || nilNode.Len() != 0 || nilNode.Elems() != nil || nilNode.IsString() || nilNode.GetFold("x") != nil || nilNode.SortedKeys() != nil {
		t.Error("nil node accessors")
	}
	if _, _, ok := nilNode.Intrinsic(); ok {
		t.Error("nil intrinsic")
	}
	if root.GetFold("type") != root.Get("Type") || root.Get("type") != nil {
		t.Error("GetFold / Get case handling")
	}
	if got := root.SortedKeys(); !reflect.DeepEqual(got[:3], []string{"B", "Cond", "Fn"}) {
		t.Errorf("SortedKeys = %v", got)
	}
	if root.Path("Fn", "Fn::GetAtt").Len() != 2 || !root.Get("Type").IsString() {
		t.Error("Path / Len / IsString")
	}
}

func TestTemplatePos(t *testing.T) {
	src := []byte("{\n  \"a\": 1\n}\n")
	fset := token.NewFileSet()
	f := fset.AddFile("t.json", -1, len(src))
	f.SetLinesForContent(src)
	tpl := &Template{Root: mustJSON(t, string(src)), Src: src, File: f}
	p := fset.Position(tpl.Pos(tpl.Root.Get("a").Start))
	if p.Line != 2 || p.Column != 8 {
		t.Errorf("position = %v", p)
	}
	if tpl.Pos(-1) != token.NoPos || tpl.Pos(len(src)+1) != token.NoPos || (*Template)(nil).Pos(0) != token.NoPos {
		t.Error("out-of-range positions")
	}
	if tpl.Resources() != nil {
		t.Error("Resources of a template without one")
	}
}
