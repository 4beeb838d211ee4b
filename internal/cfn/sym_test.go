package cfn

import (
	"reflect"
	"testing"
)

func TestSym(t *testing.T) {
	tests := []struct {
		name, json string
		want       string
		known      bool
	}{
		{"string", `"arn:aws:s3:::b/*"`, "arn:aws:s3:::b/*", true},
		{"number", `42`, "42", true},
		{"bool", `true`, "true", true},
		{"null", `null`, Unknown, false},
		{"array", `["a"]`, Unknown, false},
		{"plain object", `{"a": 1}`, Unknown, false},
		{"ref", `{"Ref": "Bucket"}`, "${Bucket}", false},
		{"ref pseudo", `{"Ref": "AWS::AccountId"}`, "${AWS::AccountId}", false},
		{"ref non-literal", `{"Ref": {"Ref": "X"}}`, Unknown, false},
		{"getatt list", `{"Fn::GetAtt": ["Role", "Arn"]}`, "${Role.Arn}", false},
		{"getatt string", `{"Fn::GetAtt": "Role.Arn"}`, "${Role.Arn}", false},
		{"getatt unknown attribute", `{"Fn::GetAtt": ["Role", {"Ref": "Attr"}]}`, "${Role.?}", false},
		{"getatt bad", `{"Fn::GetAtt": [1]}`, Unknown, false},
		{"join arn", `{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "Bucket"}, "/*"]]}`,
			"arn:${AWS::Partition}:s3:::${Bucket}/*", false},
		{"join literal", `{"Fn::Join": [",", ["a", "b", "c"]]}`, "a,b,c", true},
		{"join empty list", `{"Fn::Join": [",", []]}`, "", true},
		{"join nested", `{"Fn::Join": ["", ["arn:", {"Fn::Join": [":", ["aws", "s3"]]}, ":::x"]]}`, "arn:aws:s3:::x", true},
		{"join non-literal separator", `{"Fn::Join": [{"Ref": "S"}, ["a"]]}`, Unknown, false},
		{"join list from split", `{"Fn::Join": ["", {"Fn::Split": [",", "a,b"]}]}`, Unknown, false},
		{"sub", `{"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/*"}`, "arn:${AWS::Partition}:s3:::${Bucket}/*", false},
		{"sub literal", `{"Fn::Sub": "no variables"}`, "no variables", true},
		{"sub escaped", `{"Fn::Sub": "${!Literal}-x"}`, "${Literal}-x", true},
		{"sub getatt", `{"Fn::Sub": "${Role.Arn}"}`, "${Role.Arn}", false},
		{"sub with map", `{"Fn::Sub": ["arn:${AWS::Partition}:s3:::${B}/${K}", {"B": {"Ref": "Bucket"}, "K": "key"}]}`,
			"arn:${AWS::Partition}:s3:::${Bucket}/key", false},
		{"sub with literal map", `{"Fn::Sub": ["${A}-${B}", {"A": "x", "B": "y"}]}`, "x-y", true},
		{"sub map if", `{"Fn::Sub": ["${A}", {"A": {"Fn::If": ["C", "x", "y"]}}]}`, Unknown, false},
		{"sub unterminated", `{"Fn::Sub": "a${b"}`, "a${b", true},
		{"sub bad", `{"Fn::Sub": 5}`, Unknown, false},
		{"if", `{"Fn::If": ["IsProd", "arn:a", "arn:b"]}`, Unknown, false},
		{"select", `{"Fn::Select": [0, ["a", "b"]]}`, Unknown, false},
		{"findinmap", `{"Fn::FindInMap": ["M", "K", "V"]}`, Unknown, false},
		{"importvalue", `{"Fn::ImportValue": "Shared-Arn"}`, "${Import:Shared-Arn}", false},
		{"importvalue sub", `{"Fn::ImportValue": {"Fn::Sub": "${Env}-Arn"}}`, Unknown, false},
		{"join with if", `{"Fn::Join": ["", ["arn:aws:s3:::", {"Fn::If": ["C", "a", "b"]}, "/*"]]}`, "arn:aws:s3:::${?}/*", false},
		{"join with select", `{"Fn::Join": ["/", [{"Fn::Select": [1, {"Fn::Split": [":", "a:b"]}]}, "x"]]}`, "${?}/x", false},
		{"condition", `{"Condition": "C"}`, Unknown, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, known := Sym(mustJSON(t, tt.json))
			if got != tt.want || known != tt.known {
				t.Errorf("Sym(%s) = %q, %v; want %q, %v", tt.json, got, known, tt.want, tt.known)
			}
			if s := SymString(mustJSON(t, tt.json)); s != tt.want {
				t.Errorf("SymString = %q", s)
			}
		})
	}
	if got, known := Sym(nil); got != Unknown || known {
		t.Errorf("Sym(nil) = %q, %v", got, known)
	}
}

func TestSymYAML(t *testing.T) {
	n := mustYAML(t, `v: !Join ["", ["arn:", !Ref "AWS::Partition", ":s3:::", !Ref Bucket, "/*"]]`)
	if got, _ := Sym(n.Get("v")); got != "arn:${AWS::Partition}:s3:::${Bucket}/*" {
		t.Errorf("Sym = %q", got)
	}
	n = mustYAML(t, `v: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"`)
	if got, _ := Sym(n.Get("v")); got != "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" {
		t.Errorf("Sym = %q", got)
	}
}

func TestSymDepthBounded(t *testing.T) {
	// 100 nested Fn::Join (400 levels of JSON): deeper than the evaluator's limit.
	src := ""
	for i := 0; i < 100; i++ {
		src += `{"Fn::Join": ["", ["x", `
	}
	src += `"end"`
	for i := 0; i < 100; i++ {
		src += `]]}`
	}
	got, known := Sym(mustJSON(t, src))
	if known || len(got) == 0 || got[len(got)-len(Unknown):] != Unknown {
		t.Errorf("deep Join = %.80q…, %v", got, known)
	}
}

func TestRefs(t *testing.T) {
	tests := []struct {
		json string
		want []string
	}{
		{`"literal"`, nil},
		{`{"Ref": "Bucket"}`, []string{"Bucket"}},
		{`{"Ref": "AWS::Region"}`, nil},
		{`{"Fn::GetAtt": ["Role", "Arn"]}`, []string{"Role"}},
		{`{"Fn::GetAtt": "Role.Arn"}`, []string{"Role"}},
		{`{"Fn::Join": ["", [{"Ref": "A"}, {"Fn::GetAtt": ["B", "Arn"]}, {"Ref": "A"}]]}`, []string{"A", "B"}},
		{`{"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/${Role.Arn}/${!Literal}"}`, []string{"Bucket", "Role"}},
		{`{"Fn::If": ["C", {"Ref": "X"}, {"Ref": "AWS::NoValue"}]}`, []string{"X"}},
		// Variables of the Sub's own map are not references; their values may be.
		{`{"Fn::Sub": ["arn:aws:iam::${AWS::AccountId}:oidc-provider/${Host}", {"Host": {"Fn::GetAtt": ["Provider", "Issuer"]}}]}`, []string{"Provider"}},
		{`{"Fn::Sub": ["${A}/${B}", {"A": "lit"}]}`, []string{"B"}},
		{`{"Statement": [{"Resource": {"Ref": "Q"}}, {"Resource": [{"Fn::GetAtt": ["T", "Arn"]}]}]}`, []string{"Q", "T"}},
	}
	for _, tt := range tests {
		if got := Refs(mustJSON(t, tt.json)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Refs(%s) = %q, want %q", tt.json, got, tt.want)
		}
	}
}
