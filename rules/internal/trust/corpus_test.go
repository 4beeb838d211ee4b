package trust_test

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/iam010"
	"github.com/iamvet/iamvet/rules/iam036"
	"github.com/iamvet/iamvet/rules/iam037"
	"github.com/iamvet/iamvet/rules/iam060"
)

// TestCorpus pins what the trust and MFA rules report on the CDK corpus
// (testdata/corpus/*/expected.md has the reviewers' expectations).
func TestCorpus(t *testing.T) {
	want := map[string][]string{
		"d-mfa": {
			"IAM010 low AccessControl SecurityAuditorRole0B35CC3A",
			"IAM037 low AccessControl SecurityAuditorRole0B35CC3A",
			"IAM060 high AccessControl ContractorsDefaultPolicy2CA77651",
			"IAM060 high AccessControl DbaRoleB5FAB5CA",
			"IAM060 high AccessControl SecurityAuditorRoleDefaultPolicy8D2F1CF4",
		},
		"e-trust-policies": {
			"IAM010 low TrustPolicies AccountOpsRole4785A785",
			"IAM010 low TrustPolicies SharedTaskRole21290B69",
			"IAM036 high TrustPolicies LegacyCrossAccountRole",
			"IAM036 high TrustPolicies LegacyCrossAccountRole",
			"IAM036 high TrustPolicies VendorMonitoringRoleC5214A35",
			"IAM036 medium TrustPolicies SharedTaskRole21290B69",
			"IAM037 low TrustPolicies AccountOpsRole4785A785",
			"IAM037 medium TrustPolicies SharedTaskRole21290B69",
		},
		"j-multistage-nested": {
			"IAM010 low Tooling/Artifacts/Signing SignerRole2EE64DEC",
			"IAM036 high Dev/SharedIam StageDeployRole85ACB23A",
			"IAM036 medium Prod/SharedIam StageDeployRole85ACB23A",
			"IAM037 medium Tooling/Artifacts/Signing SignerRole2EE64DEC",
		},
		"c-wildcards": {
			"IAM010 medium PlatformAutomation BuilderRoleBBEBFA71",
			"IAM010 medium PlatformAutomation SupportRole68F72D2C",
			"IAM037 medium PlatformAutomation BuilderRoleBBEBFA71",
			"IAM037 medium PlatformAutomation SupportRole68F72D2C",
		},
	}
	rs := []*rules.Rule{iam010.Rule, iam036.Rule, iam037.Rule, iam060.Rule}
	for app, want := range want {
		t.Run(app, func(t *testing.T) {
			dir := "../../../testdata/corpus/" + app + "/cdk.out"
			if _, err := os.Stat(dir); err != nil {
				t.Skip("corpus not available")
			}
			res := loader.Load([]string{dir}, loader.Options{})
			for _, e := range res.Errors {
				t.Fatalf("load: %v", e)
			}
			fs, errs := rules.Run(res.Fset, res.Stacks, rs, rules.Options{})
			for _, e := range errs {
				t.Fatalf("%v\n%s", e, e.Trace)
			}
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%s %s %s %s", f.Rule.ID(), f.Severity, f.Stack.DisplayName, f.LogicalID))
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("findings:\n got  %q\n want %q", got, want)
			}
			if testing.Verbose() || t.Failed() {
				for _, f := range fs {
					t.Logf("%s [%s] %s: %s", f.Rule.ID(), f.Severity, f.LogicalID, f.Message)
				}
			}
		})
	}
}
