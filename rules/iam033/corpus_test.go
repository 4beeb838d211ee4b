package iam033_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam033"
	"github.com/iamvet/iamvet/rules/rulestest"
)

// TestCorpus runs the rule on every corpus app (real cdk synth output) and
// checks its findings against the reviewers' expected.md for
// e-trust-policies: AnyPrincipal and ArnPrincipal('*') roles are critical,
// the org-restricted one (OrgWideRole) is silent.
// Every other app must have no finding.
func TestCorpus(t *testing.T) {
	rulestest.Corpus(t, iam033.Rule, "../../testdata/corpus", map[string][]string{
		"e-trust-policies": {"critical PublicAssumableRole9D06E9DD", "critical StarArnRoleE884A12D"},
	})
}
