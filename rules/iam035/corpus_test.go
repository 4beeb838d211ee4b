package iam035_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam035"
	"github.com/iamvet/iamvet/rules/rulestest"
)

// TestCorpus runs the rule on every corpus app (real cdk synth output):
// no statement in the corpus uses Allow with NotPrincipal, so no app may
// have a finding.
func TestCorpus(t *testing.T) {
	rulestest.Corpus(t, iam035.Rule, "../../testdata/corpus", nil)
}
