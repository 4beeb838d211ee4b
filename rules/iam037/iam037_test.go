package iam037_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam036"
	"github.com/iamvet/iamvet/rules/iam037"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam037.Rule, "testdata/*.yaml") }

// An account listed as trusted for IAM036 is no longer IAM036's finding:
// IAM037 then reports the missing MFA.
func TestTrustedAccount(t *testing.T) {
	if err := iam036.Rule.Analyzer.Flags.Set("trusted-accounts", "222222222222"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iam036.TrustedAccounts = nil })
	rulestest.Run(t, iam037.Rule, "testdata/trusted/*.yaml")
}
