package iam039_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/iam039"
)

// TestCorpus runs the rule on every corpus app (real cdk synth output) and
// checks its findings against the reviewers' expected.md for
// e-trust-policies: SamlAnalystRole is reported, SamlAdminRole
// (SamlConsolePrincipal) is silent.
// Every other app must have no finding.
func TestCorpus(t *testing.T) {
	want := map[string][]string{
		"e-trust-policies": {"medium SamlAnalystRole7A32869B"},
	}
	root := filepath.Join("..", "..", "testdata", "corpus")
	apps, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("no corpus: %v", err)
	}
	for _, app := range apps {
		if !app.IsDir() {
			continue
		}
		t.Run(app.Name(), func(t *testing.T) {
			res := loader.Load([]string{filepath.Join(root, app.Name(), "cdk.out")}, loader.Options{})
			for _, e := range res.Errors {
				t.Fatalf("load: %v", e)
			}
			fs, ierrs := rules.Run(res.Fset, res.Stacks, []*rules.Rule{iam039.Rule}, rules.Options{})
			for _, e := range ierrs {
				t.Fatal(e)
			}
			var got []string
			for _, f := range fs {
				got = append(got, f.Severity.String()+" "+f.LogicalID)
			}
			sort.Strings(got)
			exp := append([]string(nil), want[app.Name()]...)
			sort.Strings(exp)
			if strings.Join(got, "\n") != strings.Join(exp, "\n") {
				for _, f := range fs {
					t.Logf("%s %s: %s", f.Severity, f.LogicalID, f.Message)
				}
				t.Errorf("findings = %q, want %q", got, exp)
			}
		})
	}
}
