// Package iam037 defines IAM037 (human-assumable-role-without-mfa).
package iam037

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/iam036"
	"github.com/iamvet/iamvet/rules/iam060"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `role that people can assume does not require MFA

A role whose trust policy names an account root or an IAM user can be
assumed by people signing in with a password or an access key. AWS's IAM
best practices ask for MFA on such access: add Bool
aws:MultiFactorAuthPresent "true" (and optionally NumericLessThan
aws:MultiFactorAuthAge) to the trust statement, so that stolen access keys
alone cannot assume the role. Roles trusted by services, identity
providers (federated users authenticate at the provider) or other roles
are not reported, nor trust statements that require sts:ExternalId (third
party machines) or that IAM036 or IAM060 already report. Findings are low
when a session without MFA could only read.`

// Rule is IAM037.
var Rule = rules.Register(&rules.Rule{
	Slug:     "human-assumable-role-without-mfa",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	CWE:      []string{"CWE-308"},
	Fix:      `Add a Bool aws:MultiFactorAuthPresent "true" condition to the trust statement, or let people reach the role through IAM Identity Center.`,
	Bad:      "new iam.Role(this, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });",
	Good:     "new iam.Role(this, 'Ops', { assumedBy: new iam.AccountRootPrincipal().withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM037",
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
			if !trust.GrantsAssumeRole(st) || trust.RequiresMFA(st) || trust.Pinned(st, "sts:ExternalId") {
				continue
			}
			// An MFA condition that cannot be evaluated: stay silent.
			if _, has, ok := trust.MFA(st); has && !ok {
				continue
			}
			// A broken MFA condition is IAM060's finding.
			if len(iam060.MFAMisuses(st)) > 0 {
				continue
			}
			for _, ap := range c.AWSPrincipals(st) {
				if !ap.Known || ap.Public || !trust.IsAccountID(ap.Account) && ap.Account != trust.SameAccountRef {
					continue
				}
				if !ap.IsRoot && ap.Kind != trust.User {
					continue
				}
				// An unscoped cross-account principal is IAM036's finding.
				if iam036.Offends(st, ap) {
					continue
				}
				if grade == nil {
					g := trust.PowerOf(m, p, trust.NoMFASession)
					grade = &g
				}
				sev, note := rules.Medium, ""
				switch {
				case grade.Power == trust.NoPower && trust.PowerOf(m, p, trust.AllSessions).Power != trust.NoPower:
					sev, note = rules.Low, "; its permission statements require MFA themselves"
				case grade.Power == trust.NoPower:
					sev, note = rules.Low, "; the role has no permissions in this stack"
				case grade.Power == trust.ReadOnly:
					sev, note = rules.Low, "; without MFA the role can only read"
				case grade.Power.AtLeast(trust.Write) && grade.Evidence != "":
					note = fmt.Sprintf("; a session without MFA still gets %s", grade.Evidence)
				}
				rules.Report(pass, rules.Diag{
					At:        ap.Value.At,
					Statement: st,
					Severity:  sev,
					Evidence:  ap.Value.Text,
					Message: fmt.Sprintf(`%s lets %s assume the role without MFA (no Bool aws:MultiFactorAuthPresent "true" or aws:MultiFactorAuthAge condition)%s`,
						m.Where(st), who(ap), note),
				})
			}
		}
	}
	return nil, nil
}

func who(ap trust.AWSPrincipal) string {
	switch {
	case ap.IsRoot && ap.SameAccount:
		return fmt.Sprintf("the users and roles of its own account (%s)", ap.Value.Text)
	case ap.IsRoot:
		return fmt.Sprintf("the users and roles of account %s (%s)", ap.Account, ap.Value.Text)
	}
	return "user " + ap.Value.Text
}
