package iam039_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam039"
	"github.com/iamvet/iamvet/rules/rulestest"
)

// TestCorpus runs the rule on every corpus app (real cdk synth output) and
// checks its findings against the reviewers' expected.md for
// e-trust-policies: SamlAnalystRole is reported, SamlAdminRole
// (SamlConsolePrincipal) is silent.
// Every other app must have no finding.
func TestCorpus(t *testing.T) {
	rulestest.Corpus(t, iam039.Rule, "../../testdata/corpus", map[string][]string{
		"e-trust-policies": {"medium SamlAnalystRole7A32869B"},
	})
}
