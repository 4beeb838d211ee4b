package iam066_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/iam066"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam066.Rule, "testdata/*.yaml") }

// TestCorpus pins what IAM066 reports on the CDK corpus, and checks that no
// resource the reviewers marked [ok] gets a finding.
func TestCorpus(t *testing.T) {
	want := map[string][]string{
		// AmazonS3FullAccess includes s3:PutBucketPolicy; ecr:* includes
		// ecr:SetRepositoryPolicy. PublicAssumableRole (ReadOnlyAccess),
		// StarArnRole (one bucket's objects), VendorMonitoringRole
		// (SecurityAudit), LegacyCrossAccountRole (ReadOnlyAccess) only
		// read; SharedTaskRole's sqs:* is scoped to jobs-*.
		"e-trust-policies": {
			"critical TrustPolicies GithubNoSubRoleD7BA35AB",
			"high TrustPolicies GithubOrgWildcardRole1297B508",
		},
		// StageDeployRole is trusted by the Tooling account of the same
		// assembly: not a third party.
		"j-multistage-nested": {},
	}
	apps, _ := filepath.Glob("../../testdata/corpus/*")
	if len(apps) == 0 {
		t.Skip("corpus not available")
	}
	for _, app := range apps {
		name := filepath.Base(app)
		if _, err := os.Stat(filepath.Join(app, "cdk.out")); err != nil {
			continue
		}
		t.Run(name, func(t *testing.T) {
			res := loader.Load([]string{filepath.Join(app, "cdk.out")}, loader.Options{})
			for _, e := range res.Errors {
				t.Fatalf("load: %v", e)
			}
			fs, errs := rules.Run(res.Fset, res.Stacks, []*rules.Rule{iam066.Rule}, rules.Options{})
			for _, e := range errs {
				t.Fatalf("%v\n%s", e, e.Trace)
			}
			expected, _ := os.ReadFile(filepath.Join(app, "expected.md"))
			var got []string
			for _, f := range fs {
				got = append(got, fmt.Sprintf("%s %s %s", f.Severity, f.Stack.DisplayName, f.LogicalID))
				for _, line := range strings.Split(string(expected), "\n") {
					if strings.Contains(line, "`"+f.LogicalID+"`") && strings.Contains(line, "[ok]") && !strings.Contains(line, "[problem]") {
						t.Errorf("[ok] resource %s flagged: %s", f.LogicalID, f.Message)
					}
				}
				t.Logf("%s [%s] %s: %s", f.Rule.ID(), f.Severity, f.LogicalID, f.Message)
				for _, r := range f.Related {
					t.Logf("    related %d:%d %s", r.StartLine, r.StartColumn, r.Message)
				}
			}
			w := want[name]
			slices.Sort(got)
			slices.Sort(w)
			if !slices.Equal(got, w) && !(len(got) == 0 && len(w) == 0) {
				t.Errorf("findings:\n got  %q\n want %q", got, w)
			}
		})
	}
}

// TestRelated checks the permission side of findings: the granting value
// or managed policy ARN, the other parts of a combination, the OIDC
// provider, the intermediate role of a chain.
func TestRelated(t *testing.T) {
	fs := rulestest.Run(t, iam066.Rule, "testdata/*.yaml")
	want := map[string][]string{
		"PassAndRun":   {`67:\d+ role PassAndRun inline policy "pass" statement #1 grants iam:PassRole on every role with ec2:RunInstances`, `\d+:\d+ policy PassAndRunPolicy statement #1 grants ec2:RunInstances`},
		"S3Full":       {`\d+:\d+ AWS managed policy AmazonS3FullAccess attached: s3:\* on every resource`},
		"GithubNoSub":  {`\d+:\d+ role GithubNoSub inline policy "all" statement #1 grants "\*" on every resource`, `1[0-9]:\d+ OIDC provider GithubOidc`},
		"ChainedAdmin": {`\d+:\d+ AWS managed policy AdministratorAccess attached`, `\d+:\d+ role CiReader trust policy: any GitHub Actions workflow in any repository can assume it`, `\d+:\d+ OIDC provider GithubOidc`},
	}
	seen := map[string]bool{}
	for _, f := range fs {
		w, ok := want[f.LogicalID]
		if !ok {
			continue
		}
		seen[f.LogicalID] = true
		var got []string
		for _, r := range f.Related {
			got = append(got, fmt.Sprintf("%d:%d %s", r.StartLine, r.StartColumn, r.Message))
		}
		if len(got) != len(w) {
			t.Errorf("%s: related %q, want %d", f.LogicalID, got, len(w))
			continue
		}
		for i, re := range w {
			if !regexp.MustCompile(`^` + re).MatchString(got[i]) {
				t.Errorf("%s: related[%d] = %q, want %s", f.LogicalID, i, got[i], re)
			}
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("no finding on %s", id)
		}
	}
}
