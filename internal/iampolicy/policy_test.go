package iampolicy

import (
	"testing"

	"github.com/iamvet/iamvet/internal/cfn"
)

func TestMatchWildcard(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "s3:GetObject", true},
		{"s3:*", "S3:GetObject", true},
		{"S3:get*", "s3:GetObject", true},
		{"s3:Get*", "s3:PutObject", false},
		{"iam:*Policy*", "iam:CreatePolicyVersion", true},
		{"iam:*Policy*", "iam:PutRolePolicy", true},
		{"iam:*Policy*", "iam:CreateUser", false},
		{"s3:GetObjec?", "s3:GetObject", true},
		{"s3:GetObjec?", "s3:GetObjects", false},
		{"", "", true},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"a*", "a*x", true}, // a "*" in s is text, not a wildcard to match literally
	} {
		if got := MatchWildcard(tc.pattern, tc.s); got != tc.want {
			t.Errorf("MatchWildcard(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestSplitOperator(t *testing.T) {
	for _, tc := range []struct {
		op, base, set string
		ifExists      bool
	}{
		{"StringEquals", "StringEquals", "", false},
		{"BoolIfExists", "Bool", "", true},
		{"ForAllValues:StringLike", "StringLike", "ForAllValues", false},
		{"ForAnyValue:StringEqualsIfExists", "StringEquals", "ForAnyValue", true},
	} {
		base, set, ife := SplitOperator(tc.op)
		if base != tc.base || set != tc.set || ife != tc.ifExists {
			t.Errorf("SplitOperator(%q) = %q, %q, %v", tc.op, base, set, ife)
		}
	}
}

func parse(t *testing.T, src string, kind Kind) *Document {
	t.Helper()
	n, err := cfn.ParseJSON([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return Parse(n, kind, "R", "AWS::IAM::Policy", "PolicyDocument")
}

func TestParseShapes(t *testing.T) {
	for _, tc := range []struct {
		name       string
		src        string
		statements int
		problems   int
	}{
		{"single statement object", `{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`, 1, 0},
		{"list", `{"Statement": [{"Effect": "Allow", "Action": ["a:b"], "Resource": "*"}, {"Effect": "Deny", "NotAction": "x:y", "NotResource": "*"}]}`, 2, 0},
		{"document as JSON string", `"{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"`, 1, 0},
		{"bad JSON string", `"{not json"`, 0, 1},
		{"Statement: 42", `{"Statement": 42}`, 0, 1},
		{"statement not object", `{"Statement": [42, "x"]}`, 0, 2},
		{"no Statement", `{"Version": "2012-10-17"}`, 0, 1},
		{"Principal null", `{"Statement": [{"Effect": "Allow", "Principal": null, "Action": "s3:*"}]}`, 1, 1},
		{"non-string actions", `{"Statement": [{"Effect": "Allow", "Action": [1, {"a": 1}, ["x"]], "Resource": "*"}]}`, 1, 2},
		{"Fn::If statements", `{"Statement": {"Fn::If": ["C", {"Effect": "Allow", "Action": "a:b"}, {"Ref": "AWS::NoValue"}]}}`, 1, 0},
		{"intrinsic document", `{"Fn::ImportValue": "x"}`, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := parse(t, tc.src, Identity)
			if len(d.Statements) != tc.statements || len(d.Problems) != tc.problems {
				t.Errorf("statements=%d problems=%d (%v), want %d and %d", len(d.Statements), len(d.Problems), d.Problems, tc.statements, tc.problems)
			}
		})
	}
}

func TestStatementDetails(t *testing.T) {
	d := parse(t, `{"Statement": [
	  {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": ["*", {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"]]}], "Service": "lambda.amazonaws.com"},
	   "Action": ["sts:AssumeRole"], "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:PrincipalTag/team": ["a", "b"]}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}},
	  {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "*"]}
	]}`, Trust)
	s0, s1 := d.Statements[0], d.Statements[1]
	if len(s0.Principals) != 3 || !s0.Principals[0].IsPublic() || s0.Principals[1].Value.Text != "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" || s0.Principals[1].Value.Known {
		t.Errorf("principals = %+v", s0.Principals)
	}
	if s0.Principals[2].Type != "Service" {
		t.Errorf("service principal type = %q", s0.Principals[2].Type)
	}
	if !s0.HasCondition("AWS:multifactorauthpresent") || !s0.HasCondition("aws:PrincipalTag/*") || s0.HasCondition("aws:SourceArn") {
		t.Error("HasCondition is wrong")
	}
	c := s0.Condition("aws:principaltag/team")
	if len(c) != 1 || c[0].Set != "ForAnyValue" || c[0].Base != "StringLike" || !c[0].IfExists || len(c[0].Values) != 2 {
		t.Errorf("condition = %+v", c)
	}
	if s0.Where() != `statement "A"` || s1.Where() != "statement #2" {
		t.Errorf("Where = %q, %q", s0.Where(), s1.Where())
	}
	if !s1.Principals[0].IsPublic() || !s1.AllResources() || s0.AllResources() {
		t.Error("public principal or AllResources wrong")
	}
	if !s0.HasAction("STS:AssumeRole") || s1.HasAction("s3:PutObject") {
		t.Error("HasAction wrong")
	}
	if s0.Key() == s1.Key() || s0.Key() != "sid:A" {
		t.Errorf("keys %q %q", s0.Key(), s1.Key())
	}
}

func TestKeyIn(t *testing.T) {
	keys := []string{"aws:SourceVpce", "aws:PrincipalTag/*"}
	for _, tc := range []struct {
		key  string
		want bool
	}{
		{"aws:SourceVpce", true},
		{"AWS:sourcevpce", true},
		{"aws:SourceVpc", false},
		{"aws:PrincipalTag/team", true},
		{"aws:principaltag/Team", true},
		{"aws:PrincipalTa", false},
		{"aws:ResourceTag/team", false},
	} {
		if got := KeyIn(tc.key, keys); got != tc.want {
			t.Errorf("KeyIn(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
}
