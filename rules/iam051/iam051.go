// Package iam051 defines IAM051 (ecr-policy-public).
package iam051

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/public"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `ECR repository policy allows everyone without pinning

An Allow statement in an ECR repository policy (RepositoryPolicyText) or
registry policy whose principal is "*" (or {"AWS": "*"}, or NotPrincipal)
applies to every AWS account. Unless a condition pins the caller
(aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceArn,
aws:SourceAccount, aws:SourceVpce, …), anyone can pull the images, with
whatever secrets or internal code were built into them, and with push
actions replace the image your services run. AWS's ECR security guidance
asks to grant repository access to named accounts, roles or the
organization. A Deny statement fencing the Allow in (Deny "*" unless
aws:PrincipalOrgID matches) pins it as well; a condition on
aws:PrincipalArn with a wildcard account (arn:aws:iam::*:role/ci) pins
nothing, as anyone can create such a role. Unlike a check for "*"
anywhere in the principal, conditions are read.

Pull-only access is high; push, delete, policy changes and wildcards are
critical. Public repositories (AWS::ECR::PublicRepository) are public for
pulls by design: only other actions are reported there.`

// Rule is IAM051.
var Rule = rules.Register(&rules.Rule{
	Slug:     "ecr-policy-public",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_32", "AwsSolutions-ECR1", "AWS-0032"},
	CWE:      []string{"CWE-284", "CWE-732"},
	Fix:      "Grant pulls to named accounts or the organization (repo.grantPull(new iam.AccountPrincipal('222222222222'))), or add an aws:PrincipalOrgID condition.",
	Bad:      "repo.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }));",
	Good:     "repo.grantPull(new iam.OrganizationPrincipal('o-abc123def4'));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM051",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

var types = map[string]bool{
	"AWS::ECR::Repository":       true,
	"AWS::ECR::RegistryPolicy":   true,
	"AWS::ECR::PublicRepository": true,
}

var checker = public.Checker{}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, d := range public.Documents(m) {
		if !types[d.ResourceType] {
			continue
		}
		for _, st := range d.Statements {
			refs := checker.Exposed(st)
			if len(refs) == 0 {
				continue
			}
			sev, what := grade(st)
			if d.ResourceType == "AWS::ECR::PublicRepository" && sev != rules.Critical {
				continue // public pulls are what a public repository is for
			}
			for _, ref := range refs {
				rules.Report(pass, rules.Diag{
					At:        ref.At,
					Statement: st,
					Severity:  sev,
					Evidence:  ref.Text,
					Message: fmt.Sprintf("%s allows %s to everyone (%s)%s: %s",
						public.Where(m, st), public.Actions(st), ref.Text, public.ConditionNote(st), what),
				})
			}
		}
	}
	return nil, nil
}

// grade returns high when every action is known to be List or Read (pulls),
// critical otherwise (push, delete, policy changes, wildcards, NotAction,
// unknown actions).
func grade(st *iampolicy.Statement) (rules.Severity, string) {
	const crit = "anyone can push or delete images or change the repository"
	if st.NotAction || len(st.Actions) == 0 {
		return rules.Critical, crit
	}
	for _, a := range st.Actions {
		if !a.Known {
			return rules.Critical, crit
		}
		exp := iamdata.Expand(a.Text)
		if len(exp) == 0 {
			return rules.Critical, crit
		}
		for _, x := range exp {
			if x.Access != iamdata.List && x.Access != iamdata.Read {
				return rules.Critical, crit
			}
		}
	}
	return rules.High, "anyone can pull the images"
}
