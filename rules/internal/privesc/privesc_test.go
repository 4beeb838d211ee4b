package privesc

import (
	"testing"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
)

// Every action the tables name must exist in the catalogue: a misspelled
// entry would silently never match.
func TestTablesKnown(t *testing.T) {
	var all []string
	for _, m := range append(append([]*Method(nil), Single...), Combos...) {
		all = append(all, m.Actions...)
		if m.Does == "" || m.Name == "" {
			t.Errorf("method %v lacks a name or description", m.Actions)
		}
	}
	all = append(all, credentialActions...)
	all = append(all, exfiltration...)
	for _, a := range all {
		if iamdata.LookupAction(a) == nil {
			t.Errorf("%s is not in the catalogue", a)
		}
	}
	for _, m := range Combos {
		if m.Actions[0] != "iam:PassRole" || m.Service == "" {
			t.Errorf("combination %s must start with iam:PassRole and name its service", m.Name)
		}
	}
	if IsCredentialAction("ecr:GetAuthorizationToken") || IsCredentialAction("sts:AssumeRole") {
		t.Error("excluded credential actions are listed")
	}
	if !IsCredentialAction("REDSHIFT:getclustercredentials") {
		t.Error("credential actions must match case-insensitively")
	}
}

func TestWildcardResource(t *testing.T) {
	for text, want := range map[string]bool{
		"*":                                true,
		"arn:aws:iam::123456789012:role/*": true,
		"arn:aws:iam::*:user/*":            true,
		"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*": true,
		"arn:aws:s3:::*":                               true,
		"arn:aws:s3:::*/*":                             true,
		"arn:aws:lambda:*:*:function:*":                true,
		"arn:aws:kms:us-east-1:123456789012:key/*":     true,
		"arn:*:*:*:*:*":                                true,
		"arn:aws:s3:::bucket/*":                        false,
		"arn:aws:iam::*:role/service-role/*":           false,
		"arn:aws:iam::*:user/${aws:username}":          false,
		"arn:aws:iam::123456789012:role/app-*":         false,
		"arn:aws:iam::123456789012:role/app":           false,
		"${Role.Arn}":                                  false,
		"arn:aws:iam::${?}:role/${?}":                  false,
		"arn:aws:dynamodb:us-east-1:1:table/t/index/*": false,
	} {
		if got := WildcardResource(iampolicy.Value{Text: text, Known: true}); got != want {
			t.Errorf("WildcardResource(%q) = %v, want %v", text, got, want)
		}
	}
	if WildcardResource(iampolicy.Value{Text: "*", Known: false}) {
		t.Error("an unresolved value is never a wildcard")
	}
}

func TestNarrowing(t *testing.T) {
	v := func(s string) []iampolicy.Value { return []iampolicy.Value{{Text: s, Known: true}} }
	for _, c := range []struct {
		c    iampolicy.Condition
		want bool
	}{
		{iampolicy.Condition{Base: "Bool", Key: "aws:MultiFactorAuthPresent", Values: v("true")}, false},
		{iampolicy.Condition{Base: "StringEquals", Key: "aws:RequestedRegion", Values: v("us-east-1")}, false},
		{iampolicy.Condition{Base: "StringEquals", Key: "aws:RequestTag/team", Values: v("ops")}, false},
		{iampolicy.Condition{Base: "StringEquals", Key: "aws:ResourceTag/team", Values: v("ops")}, true},
		{iampolicy.Condition{Base: "StringEquals", Key: "aws:ResourceTag/team", IfExists: true, Values: v("ops")}, false},
		{iampolicy.Condition{Base: "StringEquals", Set: "ForAllValues", Key: "aws:ResourceTag/team", Values: v("ops")}, false},
		{iampolicy.Condition{Base: "StringLike", Key: "iam:PermissionsBoundary", Values: v("*")}, false},
		{iampolicy.Condition{Base: "StringEquals", Key: "iam:PermissionsBoundary", Values: v("arn:aws:iam::1:policy/b")}, true},
		{iampolicy.Condition{Base: "StringEquals", Key: "kms:ViaService", Values: []iampolicy.Value{{Text: "${?}"}}}, true},
	} {
		if got := Narrowing(c.c); got != c.want {
			t.Errorf("Narrowing(%s %s) = %v, want %v", c.c.Base, c.c.Key, got, c.want)
		}
	}
}

func TestLevel(t *testing.T) {
	if a := iamdata.LookupAction("glue:GetStage"); a == nil || a.Access != iamdata.PermissionsManagement || Level(a) != iamdata.Read {
		t.Error("glue:GetStage: the reference's Permissions management should be graded Read")
	}
	if a := iamdata.LookupAction("s3:PutBucketPolicy"); Level(a) != iamdata.PermissionsManagement {
		t.Error("s3:PutBucketPolicy is Permissions management")
	}
	// IAM026's fixture relies on this action needing "*".
	if a := iamdata.LookupAction("s3:PutAccountPublicAccessBlock"); a == nil || Level(a) != iamdata.PermissionsManagement || a.SupportsResourceLevel() {
		t.Error("s3:PutAccountPublicAccessBlock: want Permissions management without resource-level permissions")
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a, b and c"},
		{[]string{"a", "b", "c", "d", "e"}, "a, b, c and 2 more"},
	} {
		if got := rules.List(c.in, 3); got != c.want {
			t.Errorf("rules.List(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
