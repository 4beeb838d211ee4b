package iam036_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam036"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam036.Rule, "testdata/*.yaml") }

func TestTrustedAccounts(t *testing.T) {
	flags := &iam036.Rule.Analyzer.Flags
	if err := flags.Set("trusted-accounts", "222222222222, 444444444444"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { iam036.TrustedAccounts = nil })
	if got := flags.Lookup("trusted-accounts").Value.String(); got != "222222222222,444444444444" {
		t.Errorf("flag value = %q", got)
	}
	rulestest.Run(t, iam036.Rule, "testdata/trusted/*.yaml")
}

func TestTrustedAccountsInvalid(t *testing.T) {
	t.Cleanup(func() { iam036.TrustedAccounts = nil })
	if err := iam036.Rule.Analyzer.Flags.Set("trusted-accounts", "22222222222x"); err == nil {
		t.Error("a malformed account id was accepted")
	}
}
