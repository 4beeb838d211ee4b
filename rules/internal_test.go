package rules_test

import (
	"testing"

	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
)

func TestInternalConstructsOfCorpus(t *testing.T) {
	res := loader.Load([]string{"../testdata/corpus/k-cdk-internal-noise/cdk.out"}, loader.Options{})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	s := res.Stacks[0]
	for lid, internal := range map[string]bool{
		"CustomS3AutoDeleteObjectsCustomResourceProviderRole3B1BD092":                               true,
		"CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756CServiceRoleDefaultPolicy88902FDF": true,
		"LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aServiceRoleDefaultPolicyADDA7DEB":              true,
		"BucketNotificationsHandler050a0587b7544547bf325f094a3db834RoleB6FB88EC":                    true,
		"SiteBucketNotificationsHandlerPolicyB2174F61":                                              true,
		"AWS679f53fac002430cb0da5b7982bd2287ServiceRoleC1EA0FF2":                                    true,
		"SeedProviderframeworkonEventServiceRoleDefaultPolicyD811E81C":                              true,
		// The user's own constructs, including an AwsCustomResource policy
		// whose statements the user chose.
		"AccountAliasCustomResourcePolicyE0AAEE77":          false,
		"UploadProcessorFnServiceRoleDefaultPolicyB97097F0": false,
		"SiteBucketPolicy3AC1D0F8":                          false,
	} {
		path := s.ResourcePath(lid)
		if path == "" {
			t.Errorf("%s: no construct path", lid)
			continue
		}
		if got := rules.InternalConstruct(s, path, lid) != ""; got != internal {
			t.Errorf("%s (%s): internal = %v, want %v", lid, path, got, internal)
		}
	}
}
