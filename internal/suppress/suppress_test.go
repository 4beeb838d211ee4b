package suppress_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/suppress"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
	_ "github.com/iamvet/iamvet/rules/all"
	"github.com/iamvet/iamvet/rules/iam065"
)

func load(t *testing.T, path string) *loader.Result {
	t.Helper()
	res := loader.Load([]string{path}, loader.Options{})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	return res
}

// mk makes a finding of rule id on the node at ptr, as the driver would.
func mk(t *testing.T, s *loader.Stack, id, ptr string, sev rules.Severity) *rules.Finding {
	t.Helper()
	r := rules.Lookup(id)
	if r == nil {
		t.Fatalf("no rule %s", id)
	}
	if cfn.Resolve(s.Template.Root, ptr) == nil {
		t.Fatalf("%s: no node at %s", s.TemplatePath, ptr)
	}
	segs := strings.Split(ptr, "/")
	return &rules.Finding{Rule: r, Severity: sev, Stack: rules.StackRefOf(s), LogicalID: segs[2],
		ConstructPath: s.ResourcePath(segs[2]), JSONPointer: ptr, Message: id + " at " + ptr, Fingerprint: id + ptr}
}

const stmt0 = "/Properties/PolicyDocument/Statement/0"

type want struct {
	kind, id, reason string
	appliesTo        []string
}

func check(t *testing.T, f *rules.Finding, w *want) {
	t.Helper()
	got := f.Suppressed
	switch {
	case w == nil && got != nil:
		t.Errorf("%s: suppressed by %+v, want kept", f.Message, *got)
	case w != nil && got == nil:
		t.Errorf("%s: kept, want suppressed by %s %s", f.Message, w.kind, w.id)
	case w != nil:
		if got.Kind != w.kind || got.ID != w.id || (w.reason != "" && got.Reason != w.reason) || !reflect.DeepEqual(got.AppliesTo, w.appliesTo) {
			t.Errorf("%s: suppressed by %+v, want %+v", f.Message, *got, *w)
		}
	}
}

func TestApply(t *testing.T) {
	res := load(t, "testdata/suppress.yaml")
	s := res.Stacks[0]
	type tc struct {
		f     *rules.Finding
		want  *want
		noPer *want // with NoPeer
	}
	own := func(id, reason string, applies ...string) *want {
		return &want{kind: suppress.KindIamvet, id: id, reason: reason, appliesTo: applies}
	}
	cases := []tc{
		// applies_to that does not name the finding's strings.
		{f: mk(t, s, "IAM013", "/Resources/WrongToken"+stmt0+"/Action", rules.High)},
		// Action::kms:* accepted, Resource::* is not: cdk-nag still reports.
		{f: mk(t, s, "IAM013", "/Resources/HalfCovered"+stmt0+"/Action", rules.High)},
		// Two granular suppressions together cover both strings.
		{f: mk(t, s, "IAM013", "/Resources/Covered"+stmt0+"/Action", rules.High),
			want: &want{suppress.KindCDKNag, "AwsSolutions-IAM5", "Every key action is needed by the rotation job.", []string{"Action::kms:*", "Resource::*"}}},
		// Regex applies_to.
		{f: mk(t, s, "IAM015", "/Resources/Regex"+stmt0+"/Resource", rules.Medium),
			want: &want{suppress.KindCDKNag, "AwsSolutions-IAM5", "Exports prefix is dynamic.", []string{`/^Resource::arn:aws:s3:::acme-exports\/(.*)$/g`}}},
		{f: mk(t, s, "IAM015", "/Resources/Regex/Properties/PolicyDocument/Statement/1/Resource", rules.Medium)},
		// <Logical.Arn> tokens.
		{f: mk(t, s, "IAM014", "/Resources/GetAtt"+stmt0+"/Action/0", rules.Medium),
			want: &want{suppress.KindCDKNag, "AwsSolutions-IAM5", "", []string{"Action::s3:GetObject*", "Action::s3:List*", "Resource::<Landing.Arn>/*"}}},
		// An empty applies_to hides nothing.
		{f: mk(t, s, "IAM013", "/Resources/EmptyApplies"+stmt0+"/Action", rules.High)},
		// cdk-nag never reports NotAction: Resource::* alone cannot hide it.
		{f: mk(t, s, "IAM012", "/Resources/NotActionStmt"+stmt0+"/NotAction", rules.High)},
		// Policy:: with <AWS::Partition>.
		{f: mk(t, s, "IAM018", "/Resources/AdminRole/Properties/ManagedPolicyArns/0", rules.Critical),
			want: &want{suppress.KindCDKNag, "AwsSolutions-IAM4", "Break-glass role, reviewed quarterly.", []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess"}}},
		{f: mk(t, s, "IAM018", "/Resources/PowerRole/Properties/ManagedPolicyArns/0", rules.High)},
		// Blanket suppressions, one with a base64 reason.
		{f: mk(t, s, "IAM018", "/Resources/BlanketRole/Properties/ManagedPolicyArns/0", rules.Critical),
			want: &want{suppress.KindCDKNag, "AwsSolutions-IAM4", "Temporary, will be removed after migration.", nil}},
		{f: mk(t, s, "IAM013", "/Resources/BlanketRole/Properties/Policies/0/PolicyDocument/Statement/Action", rules.High),
			want: &want{suppress.KindCDKNag, "AwsSolutions-IAM5", "Temporary — will go away", nil}},
		// iamvet's own: no reason → ignored; slug; misspelt key → ignored.
		{f: mk(t, s, "IAM013", "/Resources/OwnNoReason"+stmt0+"/Action", rules.High)},
		{f: mk(t, s, "IAM012", "/Resources/OwnSlug"+stmt0+"/Action", rules.High),
			want: own("wildcard-action", "deploy role of the platform pipeline"), noPer: own("wildcard-action", "deploy role of the platform pipeline")},
		{f: mk(t, s, "IAM013", "/Resources/OwnTypo"+stmt0+"/Action", rules.High)},
		{f: mk(t, s, "IAM013", "/Resources/OwnGranular"+stmt0+"/Action/0", rules.High),
			want:  own("IAM013", "the janitor empties every bucket", "Action::s3:*", `/^Resource::\*$/`),
			noPer: own("IAM013", "the janitor empties every bucket", "Action::s3:*", `/^Resource::\*$/`)},
		{f: mk(t, s, "IAM013", "/Resources/OwnGranular/Properties/PolicyDocument/Statement/1/Action/0", rules.High)},
		// cfn_nag and checkov; F3 is an alias of both IAM011 and IAM012.
		{f: mk(t, s, "IAM012", "/Resources/CfnNag"+stmt0+"/Action", rules.High),
			want: &want{suppress.KindCfnNag, "F3", "legacy policy, tracked in JIRA-12", nil}},
		{f: mk(t, s, "IAM011", "/Resources/CfnNag"+stmt0+"/Action", rules.Critical),
			want: &want{suppress.KindCfnNag, "F3", "legacy policy, tracked in JIRA-12", nil}},
		{f: mk(t, s, "IAM018", "/Resources/OwnBroad/Properties/ManagedPolicyArns/0", rules.Critical),
			want: own("IAM018", "break-glass role"), noPer: own("IAM018", "break-glass role")},
		// Stack-level iamvet suppression.
		{f: mk(t, s, "IAM031", "/Resources/Unsuppressed"+stmt0+"/Action", rules.Medium),
			want:  own("IAM031", "kms keys of this stack are managed by the platform team"),
			noPer: own("IAM031", "kms keys of this stack are managed by the platform team")},
		{f: mk(t, s, "IAM013", "/Resources/Unsuppressed"+stmt0+"/Action", rules.High)},
	}
	for _, noPeer := range []bool{false, true} {
		var fs []*rules.Finding
		for _, c := range cases {
			c.f.Suppressed = nil
			fs = append(fs, c.f)
		}
		kept, suppressed, extra, warnings := suppress.Apply(fs, res.Stacks, suppress.Options{NoPeer: noPeer})
		for _, c := range cases {
			w := c.want
			if noPeer {
				w = c.noPer
			}
			check(t, c.f, w)
		}
		if len(kept)+len(suppressed)-len(fs) != countIAM065(suppressed) {
			t.Errorf("kept %d + suppressed %d do not partition %d findings", len(kept), len(suppressed), len(fs))
		}
		for _, f := range kept {
			if f.Suppressed != nil {
				t.Errorf("kept finding %s has Suppressed set", f.Message)
			}
		}

		// IAM065: blanket suppressions that hid a high or critical finding,
		// reported on the suppression's id; the one on OwnBroad is itself
		// suppressed by iamvet's broad-suppression entry.
		wantBroad := map[string]string{
			"/Resources/BlanketRole/Metadata/cdk_nag/rules_to_suppress/0/id": `cdk-nag suppression of AwsSolutions-IAM4 on BlanketRole has no applies_to and hides 1 finding (IAM018), highest severity critical (reason: "Temporary, will be removed after migration.")`,
			"/Resources/BlanketRole/Metadata/cdk_nag/rules_to_suppress/1/id": `cdk-nag suppression of AwsSolutions-IAM5 on BlanketRole has no applies_to and hides 1 finding (IAM013), highest severity high (reason: "Temporary — will go away")`,
			"/Resources/OwnSlug/Metadata/iamvet/suppress/0/id":               `iamvet suppression of wildcard-action on OwnSlug has no appliesTo and hides 1 finding (IAM012), highest severity high (reason: "deploy role of the platform pipeline")`,
			"/Resources/CfnNag/Metadata/cfn_nag/rules_to_suppress/0/id":      `cfn_nag suppression of F3 on CfnNag covers the whole resource and hides 2 findings (IAM011, IAM012), highest severity critical (reason: "legacy policy, tracked in JIRA-12")`,
		}
		if noPeer {
			wantBroad = map[string]string{"/Resources/OwnSlug/Metadata/iamvet/suppress/0/id": wantBroad["/Resources/OwnSlug/Metadata/iamvet/suppress/0/id"]}
		}
		got := map[string]string{}
		for _, f := range extra {
			if f.Rule != iam065.Rule || f.Suppressed != nil || f.Severity != rules.Medium || f.Fingerprint == "" || f.Template.StartLine < 2 {
				t.Errorf("bad IAM065 finding %+v", f)
			}
			got[f.JSONPointer] = f.Message
		}
		if !reflect.DeepEqual(got, wantBroad) {
			t.Errorf("noPeer=%v: IAM065 findings\n%q\nwant\n%q", noPeer, got, wantBroad)
		}
		var ownBroad *rules.Finding
		for _, f := range suppressed {
			if f.Rule == iam065.Rule {
				ownBroad = f
			}
		}
		if ownBroad == nil || ownBroad.JSONPointer != "/Resources/OwnBroad/Metadata/iamvet/suppress/0/id" || ownBroad.Suppressed.ID != "broad-suppression" {
			t.Errorf("noPeer=%v: the IAM065 finding on OwnBroad must be suppressed by its broad-suppression entry, got %+v", noPeer, ownBroad)
		}

		wantWarn := []string{
			`iamvet suppression "IAM013" on OwnNoReason has no reason; ignored`,
			`iamvet suppression on OwnSlug names unknown rule "IAM999"; ignored`,
			`iamvet suppression "IAM013" on OwnTypo: unknown key "appliesto"; ignored`,
		}
		if !noPeer {
			wantWarn = append(wantWarn, `checkov suppression "CKV_AWS_63" on CfnNag has no comment; ignored`)
		}
		if len(warnings) != len(wantWarn) {
			t.Errorf("noPeer=%v: warnings %q, want %d", noPeer, warnings, len(wantWarn))
		}
		for _, w := range wantWarn {
			found := false
			for _, g := range warnings {
				if strings.Contains(g, w) && strings.Contains(g, "suppress.yaml:") {
					found = true
				}
			}
			if !found {
				t.Errorf("noPeer=%v: no warning %q in %q", noPeer, w, warnings)
			}
		}
	}
}

func countIAM065(fs []*rules.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Rule == iam065.Rule {
			n++
		}
	}
	return n
}

func TestAcknowledgements(t *testing.T) {
	res := load(t, "testdata/acks.yaml")
	s := res.Stacks[0]
	s.Metadata["App/Worker"] = &loader.ConstructMeta{Path: "App/Worker", Acknowledged: []string{
		"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess]",
		"AwsSolutions-IAM5",
	}}
	s.Metadata["App/Other"] = &loader.ConstructMeta{Path: "App/Other", Acknowledged: []string{"IAM013[Action::kms:*]", "IAM013[Resource::*]"}}
	s.Metadata["App/Oth"] = &loader.ConstructMeta{Path: "App/Oth", Acknowledged: []string{"IAM013"}} // a prefix, not a parent
	admin := mk(t, s, "IAM018", "/Resources/AppRole/Properties/ManagedPolicyArns/0", rules.Critical)
	power := mk(t, s, "IAM018", "/Resources/AppRole/Properties/ManagedPolicyArns/1", rules.High)
	wild := mk(t, s, "IAM013", "/Resources/AppPolicy"+stmt0+"/Action", rules.High)
	kms := mk(t, s, "IAM013", "/Resources/Other"+stmt0+"/Action", rules.High)
	for _, noPeer := range []bool{false, true} {
		fs := []*rules.Finding{admin, power, wild, kms}
		for _, f := range fs {
			f.Suppressed = nil
		}
		_, _, extra, warnings := suppress.Apply(fs, res.Stacks, suppress.Options{NoPeer: noPeer})
		if len(warnings) > 0 {
			t.Errorf("warnings: %q", warnings)
		}
		ack := func(id, path string, applies ...string) *want {
			return &want{suppress.KindCDKAck, id, "acknowledged at " + path + " (aws:cdk:acknowledged-rules)", applies}
		}
		own := ack("IAM013", "App/Other", "Action::kms:*", "Resource::*")
		check(t, power, nil)
		check(t, kms, own)
		if noPeer {
			check(t, admin, nil)
			check(t, wild, nil)
			if len(extra) != 0 {
				t.Errorf("IAM065 without peers: %v", extra)
			}
			continue
		}
		check(t, admin, ack("AwsSolutions-IAM4", "App/Worker", "Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess"))
		check(t, wild, ack("AwsSolutions-IAM5", "App/Worker"))
		if len(extra) != 1 || extra[0].JSONPointer != "/Resources/AppPolicy" ||
			extra[0].Message != "acknowledgement of AwsSolutions-IAM5 at App/Worker names no finding and hides 1 finding (IAM013), highest severity high" {
			for _, f := range extra {
				t.Errorf("IAM065 %s: %s", f.JSONPointer, f.Message)
			}
			t.Errorf("want one IAM065 on AppPolicy")
		}
	}
}

// TestNagSuppressionsCorpus runs every rule on l-nag-suppressions (cdk-nag
// 2.38 metadata) and checks what the suppressions hide.
func TestNagSuppressionsCorpus(t *testing.T) {
	res := load(t, "../../testdata/corpus/l-nag-suppressions/cdk.out")
	fs, errs := rules.Run(res.Fset, res.Stacks, rules.All(), rules.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s := res.Stacks[0]
	// Findings no rule reports today on the granularly suppressed
	// resources, to check the granular suppressions hold.
	ingest := mk(t, s, "IAM014", "/Resources/IngestFnServiceRoleDefaultPolicy2D066896"+stmt0+"/Action/0", rules.High)
	basic := mk(t, s, "IAM018", "/Resources/IngestFnServiceRoleCDCC94EA/Properties/ManagedPolicyArns/0", rules.High)
	exports := mk(t, s, "IAM015", "/Resources/ExporterRoleDefaultPolicy63C16055"+stmt0+"/Resource", rules.Medium)
	notify := mk(t, s, "IAM018", "/Resources/BucketNotificationsHandler050a0587b7544547bf325f094a3db834RoleB6FB88EC/Properties/ManagedPolicyArns/0", rules.Low)
	fs = append(fs, ingest, basic, exports, notify)

	kept, suppressed, extra, warnings := suppress.Apply(fs, res.Stacks, suppress.Options{})
	if len(warnings) > 0 {
		t.Errorf("warnings: %q", warnings)
	}
	type fk struct{ rule, where string }
	key := func(f *rules.Finding) fk {
		return fk{f.Rule.ID(), f.LogicalID + strings.TrimPrefix(f.JSONPointer, "/Resources/"+f.LogicalID)}
	}
	gotSup := map[fk]string{}
	for _, f := range suppressed {
		gotSup[key(f)] = f.Suppressed.Kind + " " + f.Suppressed.ID + " " + strings.Join(f.Suppressed.AppliesTo, ",")
	}
	wantSup := map[fk]string{
		// Blanket suppressions hide the real problems.
		{"IAM018", "JanitorRole569B4B74/Properties/ManagedPolicyArns/0"}:                              "cdk-nag AwsSolutions-IAM4 ",
		{"IAM013", "JanitorRoleDefaultPolicy77358F90/Properties/PolicyDocument/Statement/0/Action/0"}: "cdk-nag AwsSolutions-IAM5 ",
		{"IAM013", "JanitorRoleDefaultPolicy77358F90/Properties/PolicyDocument/Statement/0/Action/1"}: "cdk-nag AwsSolutions-IAM5 ",
		// Granular ones hold.
		{"IAM014", "IngestFnServiceRoleDefaultPolicy2D066896/Properties/PolicyDocument/Statement/0/Action/0"}: "cdk-nag AwsSolutions-IAM5 Action::s3:GetObject*,Action::s3:GetBucket*,Action::s3:List*,Resource::<LandingBucket23FE90FB.Arn>/*",
		{"IAM018", "IngestFnServiceRoleCDCC94EA/Properties/ManagedPolicyArns/0"}:                              "cdk-nag AwsSolutions-IAM4 Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
		{"IAM015", "ExporterRoleDefaultPolicy63C16055/Properties/PolicyDocument/Statement/0/Resource"}:        `cdk-nag AwsSolutions-IAM5 /^Resource::arn:aws:s3:::acme-exports\/(.*)$/g`,
		// Suppressed by path on a CDK-internal construct: just suppressed.
		{"IAM018", "BucketNotificationsHandler050a0587b7544547bf325f094a3db834RoleB6FB88EC/Properties/ManagedPolicyArns/0"}: "cdk-nag AwsSolutions-IAM4 ",
	}
	// Other rules aliased to AwsSolutions-IAM4/IAM5 may add findings the
	// same suppressions hide; they must be on the suppressed resources.
	for k, w := range wantSup {
		if gotSup[k] != w {
			t.Errorf("%v: suppressed by %q, want %q", k, gotSup[k], w)
		}
	}
	allowed := regexp.MustCompile(`^(JanitorRole569B4B74|JanitorRoleDefaultPolicy77358F90|IngestFnServiceRoleCDCC94EA|IngestFnServiceRoleDefaultPolicy2D066896/Properties/PolicyDocument/Statement/0|ExporterRoleDefaultPolicy63C16055/Properties/PolicyDocument/Statement/0|BucketNotificationsHandler050a0587b7544547bf325f094a3db834RoleB6FB88EC)/`)
	for k, v := range gotSup {
		if _, ok := wantSup[k]; !ok && !allowed.MatchString(k.where) {
			t.Errorf("unexpected suppression of %v by %s", k, v)
		}
	}
	kmsKept := false
	for _, f := range kept {
		if f.Rule.ID() == "IAM013" && f.LogicalID == "ExporterRoleDefaultPolicy63C16055" && strings.HasSuffix(f.JSONPointer, "/Statement/1/Action") {
			kmsKept = true
		}
	}
	if !kmsKept {
		t.Error(`kms:* on ExporterRole must not be hidden by applies_to Action::kms:Encrypt*`)
	}
	gotBroad := map[string]string{}
	for _, f := range extra {
		gotBroad[f.JSONPointer] = f.Message
	}
	wantBroad := map[string]*regexp.Regexp{
		"/Resources/JanitorRole569B4B74/Metadata/cdk_nag/rules_to_suppress/0/id": regexp.MustCompile(
			`^cdk-nag suppression of AwsSolutions-IAM4 on Ingest/JanitorRole has no applies_to and hides \d+ findings? \(([A-Z0-9]+, )*IAM018(, [A-Z0-9]+)*\), highest severity critical \(reason: "Temporary, will be removed after migration."\)$`),
		"/Resources/JanitorRoleDefaultPolicy77358F90/Metadata/cdk_nag/rules_to_suppress/1/id": regexp.MustCompile(
			`^cdk-nag suppression of AwsSolutions-IAM5 on Ingest/JanitorRole/DefaultPolicy has no applies_to and hides \d+ findings \(([A-Z0-9]+, )*IAM013(, [A-Z0-9]+)*\), highest severity (high|critical) \(reason: "Janitor needs broad access."\)$`),
	}
	if len(gotBroad) != len(wantBroad) {
		t.Errorf("IAM065: %q", gotBroad)
	}
	for ptr, re := range wantBroad {
		if !re.MatchString(gotBroad[ptr]) {
			t.Errorf("IAM065 at %s: %q does not match %s", ptr, gotBroad[ptr], re)
		}
	}
	for _, f := range extra {
		if f.ConstructPath == "" || f.Template.StartLine == 0 || !strings.HasPrefix(f.Fingerprint, "v1:") {
			t.Errorf("IAM065 finding without construct path, line or fingerprint: %+v", f)
		}
	}

	// --no-peer-suppressions: nothing is hidden, nothing is reported.
	for _, f := range fs {
		f.Suppressed = nil
	}
	kept, suppressed, extra, _ = suppress.Apply(fs, res.Stacks, suppress.Options{NoPeer: true})
	if len(suppressed) != 0 || len(extra) != 0 || len(kept) != len(fs) {
		t.Errorf("NoPeer: %d suppressed, %d IAM065, %d kept of %d", len(suppressed), len(extra), len(kept), len(fs))
	}
}
