package iam038_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam038"
	"github.com/iamvet/iamvet/rules/rulestest"
)

// TestCorpus runs the rule on every corpus app (real cdk synth output) and
// checks its findings against the reviewers' expected.md for
// e-trust-policies: GithubNoSubRole is critical, GithubOrgWildcardRole
// medium, GithubDeployRole (aud + exact sub) silent.
// Every other app must have no finding.
func TestCorpus(t *testing.T) {
	rulestest.Corpus(t, iam038.Rule, "../../testdata/corpus", map[string][]string{
		"e-trust-policies": {"critical GithubNoSubRoleD7BA35AB", "medium GithubOrgWildcardRole1297B508"},
	})
}
