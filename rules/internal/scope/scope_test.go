package scope

import (
	"strconv"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
)

func parse(t *testing.T, kind iampolicy.Kind, stmt string) *iampolicy.Statement {
	t.Helper()
	n, err := cfn.ParseYAML([]byte("Statement:\n  - " + strings.ReplaceAll(strings.TrimSpace(stmt), "\n", "\n    ") + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := iampolicy.Parse(n, kind, "Policy", "AWS::IAM::Policy", "PolicyDocument")
	if len(d.Statements) != 1 {
		t.Fatalf("parse: %v, %d statements", d.Problems, len(d.Statements))
	}
	return d.Statements[0]
}

// TestOf pins, per action value, how many actions are exposed on
// unconstrained resources, and the condition classification.
func TestOf(t *testing.T) {
	tests := []struct {
		name string
		stmt string
		// exposed per action value: -1 for "expands to nothing" (unknown,
		// unresolved, full), else whether any action is exposed.
		exposed []bool
		nil_    bool
		narrow  bool
		limited bool
	}{
		{name: "star", stmt: `
Effect: Allow
Action: [s3:GetObject, dynamodb:Scan]
Resource: "*"`, exposed: []bool{true, true}},
		{name: "star among scoped resources", stmt: `
Effect: Allow
Action: s3:GetObject
Resource: ["arn:aws:s3:::bucket/*", "*"]`, exposed: []bool{true}},
		{name: "scoped", stmt: `
Effect: Allow
Action: [s3:GetObject, "s3:Get*"]
Resource: arn:aws:s3:::bucket/*`, exposed: []bool{false, false}},
		{name: "service-level ARN wildcard", stmt: `
Effect: Allow
Action: [s3:GetObject, dynamodb:Scan]
Resource: "arn:aws:s3:::*"`, exposed: []bool{true, false}},
		{name: "all-objects ARN", stmt: `
Effect: Allow
Action: s3:GetObject
Resource: "arn:aws:s3:::*/*"`, exposed: []bool{true}},
		{name: "resource type wildcard", stmt: `
Effect: Allow
Action: [dynamodb:Scan, sts:AssumeRole, kms:Decrypt, logs:DeleteLogGroup]
Resource: ["arn:aws:dynamodb:*:111111111111:table/*", "arn:aws:iam::*:role/*", "arn:aws:kms:eu-west-1:111111111111:key/*", "arn:aws:logs:*:*:log-group:*"]`, exposed: []bool{true, true, true, true}},
		{name: "bucket named like a resource type is scoped", stmt: `
Effect: Allow
Action: s3:GetObject
Resource: "arn:aws:s3:::table/*"`, exposed: []bool{false}},
		{name: "role path is scoped", stmt: `
Effect: Allow
Action: sts:AssumeRole
Resource: "arn:aws:iam::*:role/deploy/*"`, exposed: []bool{false}},
		{name: "intrinsic partition keeps the ARN readable", stmt: `
Effect: Allow
Action: logs:DeleteLogGroup
Resource: {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":logs:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":*"]]}`, exposed: []bool{true}},
		{name: "unresolved resource is never star", stmt: `
Effect: Allow
Action: s3:GetObject
Resource: {"Ref": "BucketArnParam"}`, exposed: []bool{false}},
		{name: "unresolved resource part", stmt: `
Effect: Allow
Action: s3:GetObject
Resource: {"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bucket"}, "/*"]]}`, exposed: []bool{false}},
		{name: "NotResource", stmt: `
Effect: Allow
Action: s3:GetObject
NotResource: arn:aws:s3:::audit/*`, exposed: []bool{true}},
		{name: "patterns expand", stmt: `
Effect: Allow
Action: ["s3:Get*", "ec2:Describe*", "sts:*"]
Resource: "*"`, exposed: []bool{true, true, true}},
		{name: "unknown, unresolved and full values expand to nothing", stmt: `
Effect: Allow
Action: [s3:GetObjects, {"Ref": "ActionParam"}, "*"]
Resource: "*"`, exposed: []bool{false, false, false}},
		{name: "case-insensitive actions", stmt: `
Effect: Allow
Action: S3:getobject
Resource: "*"`, exposed: []bool{true}},
		{name: "resource tag condition narrows", stmt: `
Effect: Allow
Action: sts:AssumeRole
Resource: "*"
Condition:
  StringEquals: {aws:ResourceTag/team: payments}`, exposed: []bool{false}, narrow: true},
		{name: "service resource tag condition narrows", stmt: `
Effect: Allow
Action: ssm:GetParameter
Resource: "*"
Condition:
  StringLike: {ssm:resourceTag/app: "orders-*"}`, exposed: []bool{false}, narrow: true},
		{name: "kms:ViaService narrows", stmt: `
Effect: Allow
Action: kms:Decrypt
Resource: "*"
Condition:
  StringEquals: {kms:ViaService: s3.eu-west-1.amazonaws.com}`, exposed: []bool{false}, narrow: true},
		{name: "encryption context narrows", stmt: `
Effect: Allow
Action: kms:Decrypt
Resource: "*"
Condition:
  StringEquals: {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::bucket"}`, exposed: []bool{false}, narrow: true},
		{name: "unresolved condition value narrows", stmt: `
Effect: Allow
Action: sts:AssumeRole
Resource: "*"
Condition:
  StringEquals: {aws:ResourceAccount: {"Ref": "TargetAccount"}}`, exposed: []bool{false}, narrow: true},
		{name: "region condition limits without narrowing", stmt: `
Effect: Allow
Action: s3:GetObject
Resource: "*"
Condition:
  StringEquals: {aws:RequestedRegion: eu-west-1}`, exposed: []bool{true}, limited: true},
		{name: "IfExists narrows nothing", stmt: `
Effect: Allow
Action: sts:AssumeRole
Resource: "*"
Condition:
  StringEqualsIfExists: {aws:ResourceTag/team: payments}
  BoolIfExists: {aws:MultiFactorAuthPresent: "true"}`, exposed: []bool{true}},
		{name: "Null narrows nothing", stmt: `
Effect: Allow
Action: sts:AssumeRole
Resource: "*"
Condition:
  "Null": {aws:ResourceTag/team: "false"}`, exposed: []bool{true}},
		{name: "negated resource condition only limits", stmt: `
Effect: Allow
Action: sts:AssumeRole
Resource: "*"
Condition:
  StringNotEquals: {aws:ResourceAccount: "111111111111"}`, exposed: []bool{true}, limited: true},
		{name: "wildcard-only value only limits", stmt: `
Effect: Allow
Action: sts:AssumeRole
Resource: "*"
Condition:
  StringLike: {aws:ResourceTag/team: "*"}`, exposed: []bool{true}, limited: true},
		{name: "ForAllValues on a resource key only limits", stmt: `
Effect: Allow
Action: kms:Decrypt
Resource: "*"
Condition:
  ForAllValues:StringEquals: {kms:EncryptionContextKeys: [app]}`, exposed: []bool{true}, limited: true},
		{name: "unreadable condition is never unconstrained", stmt: `
Effect: Allow
Action: sts:AssumeRole
Resource: "*"
Condition: {"Fn::If": [IsProd, {StringEquals: {aws:ResourceTag/env: prod}}, {"Ref": "AWS::NoValue"}]}`, exposed: []bool{false}, narrow: true},
		{name: "Deny is out of scope", stmt: `
Effect: Deny
Action: s3:GetObject
Resource: "*"`, nil_: true},
		{name: "NotAction is out of scope", stmt: `
Effect: Allow
NotAction: iam:*
Resource: "*"`, nil_: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := parse(t, iampolicy.Identity, tt.stmt)
			s := Of(st)
			if tt.nil_ {
				if s != nil {
					t.Fatalf("Of = %+v, want nil", s)
				}
				return
			}
			if s == nil {
				t.Fatal("Of = nil")
			}
			if len(s.Grants) != len(tt.exposed) {
				t.Fatalf("%d grants, want %d", len(s.Grants), len(tt.exposed))
			}
			for i, g := range s.Grants {
				if got := len(g.Exposed) > 0; got != tt.exposed[i] {
					t.Errorf("grant %q: exposed %v (%d of %d actions), want %v", g.Value.Text, got, len(g.Exposed), len(g.Actions), tt.exposed[i])
				}
			}
			if s.Narrowed() != tt.narrow {
				t.Errorf("Narrowed = %v, want %v", s.Narrowed(), tt.narrow)
			}
			if s.Limited() != tt.limited {
				t.Errorf("Limited = %v, want %v", s.Limited(), tt.limited)
			}
		})
	}
}

func TestTrustAndResourcePoliciesOutOfScope(t *testing.T) {
	for _, k := range []iampolicy.Kind{iampolicy.Trust, iampolicy.ResourcePolicy} {
		st := parse(t, k, `
Effect: Allow
Principal: {AWS: "*"}
Action: s3:GetObject
Resource: "*"`)
		if Of(st) != nil {
			t.Errorf("%v: Of != nil", k)
		}
	}
}

func TestGrantDetails(t *testing.T) {
	s := Of(parse(t, iampolicy.Identity, `
Effect: Allow
Action: ["s3:Get*", "sts:*", "*:*", kms:Decrypt]
Resource: "*"
Condition:
  StringEquals: {aws:RequestedRegion: eu-west-1}
  Bool: {aws:SecureTransport: "true"}`))
	get, sts, full, dec := s.Grants[0], s.Grants[1], s.Grants[2], s.Grants[3]
	if !get.Pattern || get.Full || get.ServiceWide != "" || len(get.Actions) < 40 {
		t.Errorf("s3:Get*: %+v", get)
	}
	if sts.ServiceWide != "sts" || !sts.Pattern {
		t.Errorf("sts:*: ServiceWide %q", sts.ServiceWide)
	}
	if !full.Full || full.Actions != nil {
		t.Errorf("*:*: Full %v, %d actions", full.Full, len(full.Actions))
	}
	if dec.Pattern || len(dec.Actions) != 1 || dec.Describe(dec.Actions) != "kms:Decrypt" {
		t.Errorf("kms:Decrypt: %+v", dec)
	}
	hits := get.Hits(DataRead)
	if len(hits) != 2 || hits[0].FullName() != "s3:GetObject" {
		t.Fatalf("s3:Get* data reads: %v", hits)
	}
	want := "s3:Get* (" + strconv.Itoa(len(get.Actions)) + " actions, incl. s3:GetObject and s3:GetObjectVersion)"
	if d := get.Describe(hits); d != want {
		t.Errorf("Describe = %q, want %q", d, want)
	}
	if s.Lower(rules.High) != rules.Medium || s.Lower(rules.Low) != rules.Low {
		t.Errorf("Lower does not lower one step")
	}
	if n := s.LimitNote(); n != "; conditions on aws:RequestedRegion and aws:SecureTransport limit when the statement applies, so the severity is lowered" {
		t.Errorf("LimitNote = %q", n)
	}
	if s.On(dec.Actions[0]) != `every resource ("*")` || s.Evidence(dec.Actions[0]) != "*" || s.At(dec.Actions[0]) == nil {
		t.Errorf("On/Evidence/At for *: %q %q", s.On(dec.Actions[0]), s.Evidence(dec.Actions[0]))
	}
	if !Claimed(get) || !Claimed(sts) || Claimed(full) || !Claimed(dec) {
		t.Errorf("Claimed: s3:Get* %v, sts:* %v, *:* %v, kms:Decrypt %v", Claimed(get), Claimed(sts), Claimed(full), Claimed(dec))
	}
}

func TestOnARNAndNotResource(t *testing.T) {
	s := Of(parse(t, iampolicy.Identity, `
Effect: Allow
Action: s3:GetObject
Resource: "arn:aws:s3:::*"`))
	a := s.Grants[0].Actions[0]
	if got := s.On(a); got != `every s3 resource ("arn:aws:s3:::*")` {
		t.Errorf("On = %q", got)
	}
	for _, tt := range []struct{ action, resource, want string }{
		{"dynamodb:Scan", "arn:aws:dynamodb:*:*:table/*", `every dynamodb table ("arn:aws:dynamodb:*:*:table/*")`},
		{"sts:AssumeRole", "arn:aws:iam::*:role/*", `every iam role ("arn:aws:iam::*:role/*")`},
		{"logs:DeleteLogGroup", "arn:aws:logs:*:*:log-group:*", `every logs log-group ("arn:aws:logs:*:*:log-group:*")`},
	} {
		s := Of(parse(t, iampolicy.Identity, "Effect: Allow\nAction: "+tt.action+"\nResource: \""+tt.resource+"\""))
		if got := s.On(s.Grants[0].Actions[0]); got != tt.want {
			t.Errorf("On(%s on %s) = %q, want %q", tt.action, tt.resource, got, tt.want)
		}
	}
	s = Of(parse(t, iampolicy.Identity, `
Effect: Allow
Action: s3:GetObject
NotResource: "arn:aws:s3:::audit/*"`))
	if got := s.On(a); got != "every resource but those in NotResource" || s.Evidence(a) != "NotResource" || s.At(a) != s.St.ResourceAt {
		t.Errorf("NotResource: On %q Evidence %q", got, s.Evidence(a))
	}
}

// TestClassesExist keeps the class lists in step with the catalogue: a
// renamed or misspelt action would silently never match.
func TestClassesExist(t *testing.T) {
	for _, m := range []map[string]string{dataRead, auditTamper} {
		for name := range m {
			if iamdata.LookupAction(name) == nil {
				t.Errorf("%s is not in the catalogue", name)
			}
		}
	}
	for _, name := range []string{"sts:AssumeRole", "kms:Decrypt", "kms:ReEncryptFrom"} {
		if iamdata.LookupAction(name) == nil {
			t.Errorf("%s is not in the catalogue", name)
		}
	}
}

func TestNarrowingKeys(t *testing.T) {
	for _, k := range []string{"aws:ResourceTag/team", "AWS:RESOURCETAG/x", "ec2:ResourceTag/env", "aws:ResourceAccount", "aws:ResourceOrgID", "kms:ViaService", "kms:EncryptionContext:app", "kms:EncryptionContextKeys", "iam:PassedToService", "s3:prefix", "s3:ExistingObjectTag/class", "dynamodb:LeadingKeys"} {
		if !IsNarrowingKey(k) {
			t.Errorf("%s: not narrowing", k)
		}
	}
	for _, k := range []string{"aws:RequestedRegion", "aws:SourceIp", "aws:MultiFactorAuthPresent", "aws:PrincipalTag/team", "aws:RequestTag/team", "aws:SecureTransport", "aws:SourceArn"} {
		if IsNarrowingKey(k) {
			t.Errorf("%s: narrowing", k)
		}
	}
}

func TestJoin(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a, b and c"},
		{[]string{"a", "b", "c", "d", "e"}, "a, b, c and 2 more"},
	} {
		if got := rules.List(tt.in, 3); got != tt.want {
			t.Errorf("rules.List(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
