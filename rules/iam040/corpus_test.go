package iam040_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam040"
	"github.com/iamvet/iamvet/rules/rulestest"
)

// TestCorpus runs the rule on every corpus app (real cdk synth output):
// the corpus trusts only compute and build services (lambda,
// ecs-tasks, ec2, codebuild, batch, glue, …), which the rule excludes, so no
// app may have a finding.
func TestCorpus(t *testing.T) {
	rulestest.Corpus(t, iam040.Rule, "../../testdata/corpus", nil)
}
