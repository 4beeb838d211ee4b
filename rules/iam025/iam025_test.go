package iam025_test

import (
	"strings"
	"testing"

	"github.com/iamvet/iamvet/rules/iam025"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam025.Rule, "testdata/*.yaml") }

// A combination points at its other parts, wherever they are granted.
func TestComboRelated(t *testing.T) {
	fs := rulestest.RunFile(t, iam025.Rule, "testdata/combos.yaml")
	found := false
	for _, f := range fs {
		if !strings.Contains(f.Message, "PassExistingRoleToNewLambdaThenInvoke") {
			continue
		}
		found = true
		if f.LogicalID != "Deployer" || len(f.Related) != 2 {
			t.Fatalf("finding on %s with %d related locations, want Deployer with 2: %+v", f.LogicalID, len(f.Related), f.Related)
		}
		for i, want := range []string{"lambda:CreateFunction", "lambda:InvokeFunction"} {
			r := f.Related[i]
			if !strings.Contains(r.Message, "policy DeployerDefaultPolicy statement #1 grants "+want) || r.StartLine == 0 {
				t.Errorf("related %d = %+v, want the DeployerDefaultPolicy value granting %s", i, r, want)
			}
		}
	}
	if !found {
		t.Fatal("no PassExistingRoleToNewLambdaThenInvoke finding")
	}
}
