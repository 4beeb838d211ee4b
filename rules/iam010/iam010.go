// Package iam010 defines IAM010 (trust-account-root-unconditioned).
package iam010

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/iam060"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `role trusts its own account root with no condition on who

A trust policy whose principal is the account itself
(arn:aws:iam::ACCOUNT:root, what CDK's AccountRootPrincipal and
AccountPrincipal emit) lets every user and role of the account assume the
role as soon as one of their identity policies allows sts:AssumeRole on it,
including policies written later, for other purposes, with wildcards. Who
can use the role is then decided far from the role. AWS's IAM guidance asks
for least privilege on trust as on permissions: name the principals
(aws:PrincipalArn, or the role or user ARN as principal), or require MFA or
a principal tag. Findings are medium when the role holds admin-like
permissions (AdministratorAccess, PowerUserAccess, "*" or iam:* on every
resource, Allow with NotAction), low otherwise. Trust of other accounts is
IAM036's business.`

// Rule is IAM010.
var Rule = rules.Register(&rules.Rule{
	Slug:     "trust-account-root-unconditioned",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_61"},
	CWE:      []string{"CWE-284", "CWE-269"},
	Fix:      "Trust the roles or users that need the role (new iam.ArnPrincipal(roleArn)), or keep the account principal and add an aws:PrincipalArn or MFA condition.",
	Bad:      "new iam.Role(this, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });",
	Good:     "new iam.Role(this, 'Ops', { assumedBy: new iam.AccountRootPrincipal().withConditions({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/ops-*' } }) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM010",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	c := trust.ContextOf(m)
	for _, p := range m.Principals {
		if p.Kind != stackmodel.Role || p.Trust == nil {
			continue
		}
		var grade *trust.Grade
		for _, st := range p.Trust.Statements {
			if !trust.GrantsAssumeRole(st) || trust.RequiresMFA(st) || trust.Pinned(st, trust.IdentityKeys...) {
				continue
			}
			// A broken MFA condition is IAM060's finding: the author did
			// mean to narrow who, and fixing it does.
			if len(iam060.MFAMisuses(st)) > 0 {
				continue
			}
			for _, ap := range c.AWSPrincipals(st) {
				if !ap.Known || !ap.IsRoot || !ap.SameAccount || ap.WildcardInARN {
					continue
				}
				if grade == nil {
					g := trust.PowerOf(m, p, trust.AllSessions)
					grade = &g
				}
				sev, note := rules.Low, ""
				if grade.Power.AtLeast(trust.PowerUser) {
					sev = rules.Medium
					note = fmt.Sprintf("; the role holds admin-like permissions (%s)", grade.Evidence)
				}
				rules.Report(pass, rules.Diag{
					At:        ap.Value.At,
					Statement: st,
					Severity:  sev,
					Evidence:  ap.Value.Text,
					Message: fmt.Sprintf("%s trusts the account root (%s) with no condition on who: every user and role of the account whose identity policies allow sts:AssumeRole on it can assume the role%s",
						m.Where(st), ap.Value.Text, note),
				})
			}
		}
	}
	return nil, nil
}
