package stackmodel_test

import (
	"testing"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

func build(t *testing.T, path string) *stackmodel.Model {
	t.Helper()
	res := loader.Load([]string{path}, loader.Options{})
	if len(res.Errors) > 0 || len(res.Stacks) != 1 {
		t.Fatalf("load: %v", res.Errors)
	}
	return stackmodel.Build(res.Stacks[0])
}

func locators(ds []*iampolicy.Document) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.LogicalID+":"+d.Locator)
	}
	return out
}

func TestGraph(t *testing.T) {
	m := build(t, "testdata/graph.yaml")
	role := m.Principal("AppRole")
	if role == nil || role.Trust == nil || len(role.Trust.Statements) != 1 {
		t.Fatal("role trust not found")
	}
	got := locators(role.Policies)
	want := []string{"AppRole:Policies[inline]", "AppRoleDefaultPolicy:PolicyDocument", "Shared:PolicyDocument"}
	if len(got) != len(want) {
		t.Fatalf("role policies = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("role policies = %v, want %v", got, want)
		}
	}
	if len(role.ManagedPolicyArns) != 1 || role.ManagedPolicyArns[0].Text != "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" {
		t.Errorf("managed ARNs = %+v", role.ManagedPolicyArns)
	}
	alice := m.Principal("Alice")
	if len(alice.Groups) != 1 || alice.Groups[0] != "Devs" || len(alice.ExternalGroups) != 1 || alice.ExternalGroups[0] != "external-admins" {
		t.Errorf("alice groups = %v / %v", alice.Groups, alice.ExternalGroups)
	}
	// Attached by literal user name, and through the group's managed policy.
	if got := locators(m.EffectivePolicies(alice)); len(got) != 2 {
		t.Errorf("alice effective policies = %v", got)
	}
	devs := m.Principal("Devs")
	if len(devs.Members) != 2 {
		t.Errorf("devs members = %d, want 2 (Groups and UserToGroupAddition)", len(devs.Members))
	}
	var bucket *iampolicy.Document
	for _, d := range m.DocumentsOf(iampolicy.ResourcePolicy) {
		bucket = d
	}
	if bucket == nil || !bucket.Detached || len(bucket.Statements) != 1 || !bucket.Statements[0].Principals[0].IsPublic() {
		t.Fatalf("bucket policy from JSON string not parsed: %+v", bucket)
	}
	if bucket.Statements[0].At != bucket.At {
		t.Error("statements of a string document must point at the string")
	}
}

func TestCorpusDocuments(t *testing.T) {
	res := loader.Load([]string{"../../testdata/corpus/h-resource-policies/cdk.out"}, loader.Options{})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	m := stackmodel.Build(res.Stacks[0])
	kinds := map[string]bool{}
	for _, d := range m.Documents {
		kinds[d.ResourceType] = true
	}
	for _, typ := range []string{"AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy", "AWS::KMS::Key", "AWS::SecretsManager::ResourcePolicy", "AWS::IAM::Role"} {
		if !kinds[typ] {
			t.Errorf("no document found for %s", typ)
		}
	}
}
