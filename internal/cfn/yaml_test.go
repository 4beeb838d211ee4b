package cfn

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func TestParseYAMLShortForms(t *testing.T) {
	tests := []struct{ in, want string }{
		{`v: !Ref Bucket`, `{"Ref":"Bucket"}`},
		{`v: !Ref "AWS::Partition"`, `{"Ref":"AWS::Partition"}`},
		{`v: !GetAtt Role.Arn`, `{"Fn::GetAtt":["Role","Arn"]}`},
		{`v: !GetAtt Db.Endpoint.Address`, `{"Fn::GetAtt":["Db","Endpoint.Address"]}`},
		{`v: !GetAtt [Role, Arn]`, `{"Fn::GetAtt":["Role","Arn"]}`},
		{`v: !Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"`, `{"Fn::Sub":"arn:${AWS::Partition}:s3:::${Bucket}/*"}`},
		{"v: !Sub\n  - ${A}-${B}\n  - A: !Ref X\n    B: lit", `{"Fn::Sub":["${A}-${B}",{"A":{"Ref":"X"},"B":"lit"}]}`},
		{`v: !If [IsProd, !Ref A, !Ref "AWS::NoValue"]`, `{"Fn::If":["IsProd",{"Ref":"A"},{"Ref":"AWS::NoValue"}]}`},
		{`v: !Join ["", ["arn:", !Ref "AWS::Partition", ":s3:::", !Ref Bucket, "/*"]]`,
			`{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":s3:::",{"Ref":"Bucket"},"/*"]]}`},
		{`v: !Select [0, !GetAZs ""]`, `{"Fn::Select":[0,{"Fn::GetAZs":""}]}`},
		{`v: !GetAZs ''`, `{"Fn::GetAZs":""}`},
		{`v: !Split [",", !ImportValue Subnets]`, `{"Fn::Split":[",",{"Fn::ImportValue":"Subnets"}]}`},
		{`v: !FindInMap [RegionMap, !Ref "AWS::Region", Ami]`, `{"Fn::FindInMap":["RegionMap",{"Ref":"AWS::Region"},"Ami"]}`},
		{`v: !Base64 {"Fn::Sub": "echo ${X}"}`, `{"Fn::Base64":{"Fn::Sub":"echo ${X}"}}`},
		{"v:\n  Fn::Base64: !Sub \"echo ${X}\"", `{"Fn::Base64":{"Fn::Sub":"echo ${X}"}}`},
		{`v: !ImportValue Shared-VpcId`, `{"Fn::ImportValue":"Shared-VpcId"}`},
		{"v: !ImportValue\n  Fn::Sub: \"${Env}-VpcId\"", `{"Fn::ImportValue":{"Fn::Sub":"${Env}-VpcId"}}`},
		{`v: !Equals [!Ref Env, prod]`, `{"Fn::Equals":[{"Ref":"Env"},"prod"]}`},
		{`v: !Not [!Equals [!Ref Env, prod]]`, `{"Fn::Not":[{"Fn::Equals":[{"Ref":"Env"},"prod"]}]}`},
		{`v: !And [!Condition A, !Condition B]`, `{"Fn::And":[{"Condition":"A"},{"Condition":"B"}]}`},
		{`v: !Or [!Condition A, !Not [!Condition B]]`, `{"Fn::Or":[{"Condition":"A"},{"Fn::Not":[{"Condition":"B"}]}]}`},
		{`v: !Condition IsProd`, `{"Condition":"IsProd"}`},
		{`v: !Cidr [!GetAtt Vpc.CidrBlock, 6, 8]`, `{"Fn::Cidr":[{"Fn::GetAtt":["Vpc","CidrBlock"]},6,8]}`},
		{"v:\n  Fn::GetAtt: [A, B]", `{"Fn::GetAtt":["A","B"]}`},
		// Plain YAML scalars keep their YAML types.
		{"v: [1, 1.5, true, False, null, ~, '1', \"x\", 0x1F]", `[1,1.5,true,false,null,null,"1","x",0x1F]`},
		// Block scalars.
		{"v: |\n  line1\n  line2\n", `"line1\nline2\n"`},
		{"v: !Sub |\n  echo ${X}\n", `{"Fn::Sub":"echo ${X}\n"}`},
	}
	for _, tt := range tests {
		n := mustYAML(t, tt.in)
		if got := render(n.Get("v")); got != tt.want {
			t.Errorf("ParseYAML(%q) v = %s, want %s", tt.in, got, tt.want)
		}
		if p := spanProblem(n, len(tt.in)); p != "" {
			t.Errorf("ParseYAML(%q): %s", tt.in, p)
		}
		if name, _, ok := n.Get("v").Intrinsic(); ok && !strings.Contains(tt.want, name) {
			t.Errorf("ParseYAML(%q): intrinsic %s", tt.in, name)
		}
	}
}

func TestParseYAMLPositions(t *testing.T) {
	src := `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${AWS::StackName}-role"
      Arn: !GetAtt Other.Arn
      Policies:
        - PolicyDocument:
            Statement:
              - Effect: Allow
                Resource: "*"
`
	n := mustYAML(t, src)
	at := func(n *Node) string { return src[n.Start:] }
	role := n.Path("Resources", "Role")
	if !strings.HasPrefix(src[n.Get("Resources").KeyPos[0]:], "Role:") {
		t.Errorf("Role key at %q", src[n.Get("Resources").KeyPos[0]:])
	}
	cases := []struct {
		n      *Node
		prefix string
		text   string // exact span when set
	}{
		{role.Get("Type"), "AWS::IAM::Role", "AWS::IAM::Role"},
		// A short-form intrinsic spans its tag and argument. (Where the
		// argument itself starts is checked in cfn_bug_test.go.)
		{role.Path("Properties", "RoleName"), `!Sub "${AWS::StackName}-role"`, `!Sub "${AWS::StackName}-role"`},
		{role.Path("Properties", "Arn"), `!GetAtt Other.Arn`, `!GetAtt Other.Arn`},
		{role.Path("Properties", "Policies").Vals[0].Path("PolicyDocument", "Statement").Vals[0].Get("Resource"), `"*"`, `"*"`},
	}
	for _, c := range cases {
		if c.n == nil {
			t.Fatalf("node for %q missing", c.prefix)
		}
		if !strings.HasPrefix(at(c.n), c.prefix) {
			t.Errorf("node %s starts at %q, want %q", render(c.n), at(c.n)[:min(20, len(at(c.n)))], c.prefix)
		}
		if c.text != "" && src[c.n.Start:c.n.End] != c.text {
			t.Errorf("node %s spans %q, want %q", render(c.n), src[c.n.Start:c.n.End], c.text)
		}
	}
	if p := spanProblem(n, len(src)); p != "" {
		t.Error(p)
	}
}

func billionLaughs(levels int) string {
	var b strings.Builder
	b.WriteString(`a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestParseYAMLErrors(t *testing.T) {
	tests := []struct {
		name, in string
		off      int // -1: do not check
		msg      string
	}{
		{"empty", "", 0, "empty document"},
		{"comment only", "# nothing\n", 0, "empty document"},
		{"duplicate key", "Resources:\n  A: 1\n  A: 2\n", 20, `duplicate key "A"`},
		{"duplicate key flow", "a: {b: 1, b: 2}", 10, `duplicate key "b"`},
		{"duplicate top-level", "Resources: {}\nOutputs: {}\nResources: {}\n", 26, `duplicate key "Resources"`},
		{"invalid utf8", "a: ok\nb: \xff\xfe\n", 9, "invalid UTF-8"},
		{"syntax", "a: [1, 2\nb: 3\n", -1, "did not find expected"},
		{"tab indent", "a:\n\tb: 1\n", 3, "found character that cannot start any token"},
		{"two tags", `v: !Base64 !Sub "echo ${X}"`, -1, "did not find expected key"},
		{"getatt without dot", "v: !GetAtt Role", -1, `!GetAtt "Role": expected Resource.Attribute`},
		{"non-scalar key", "? [a, b]\n: 1\n", 2, "mapping key is not a scalar"},
		{"unknown alias", "a: *nope\n", -1, "unknown anchor"},
		{"alias bomb", billionLaughs(10), -1, "nodes (alias expansion)"},
		{"deep flow", "a: " + strings.Repeat("[", 100_000), -1, "exceeded max depth"},
		{"deep block", strings.Repeat("- ", 600) + "x\n", -1, "nesting deeper than 512 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseYAML([]byte(tt.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseYAML = %s, %v; want a SyntaxError", render(n), err)
			}
			if !strings.Contains(se.Msg, tt.msg) || (tt.off >= 0 && se.Offset != tt.off) {
				t.Errorf("error at %d %q, want at %d containing %q", se.Offset, se.Msg, tt.off, tt.msg)
			}
			if se.Offset < 0 || se.Offset > len(tt.in) {
				t.Errorf("offset %d outside the source", se.Offset)
			}
		})
	}
}

// TestParseYAMLAliases checks that ordinary anchors and aliases expand.
func TestParseYAMLAliases(t *testing.T) {
	n := mustYAML(t, "tags: &t [a, b]\nmore: *t\nmap: &m {k: !Ref X}\ncopy: *m\n")
	if got := render(n); got != `{"tags":["a","b"],"more":["a","b"],"map":{"k":{"Ref":"X"}},"copy":{"k":{"Ref":"X"}}}` {
		t.Errorf("aliases = %s", got)
	}
}

// TestParseYAMLAliasBombBounded reports what the alias limit costs.
func TestParseYAMLAliasBombBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MB")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ParseYAML([]byte(billionLaughs(10)))
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("billion laughs accepted")
	}
	alloc := (after.TotalAlloc - before.TotalAlloc) >> 20
	t.Logf("billion laughs (%d bytes): %v after %d MiB allocated", len(billionLaughs(10)), err, alloc)
	if alloc > 1024 {
		t.Errorf("the alias limit let %d MiB be allocated", alloc)
	}
}
