package iam034_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam034"
	"github.com/iamvet/iamvet/rules/rulestest"
)

// TestCorpus runs the rule on every corpus app (real cdk synth output):
// no trust policy in the corpus uses a wildcard action, so no app may
// have a finding.
func TestCorpus(t *testing.T) {
	rulestest.Corpus(t, iam034.Rule, "../../testdata/corpus", nil)
}
