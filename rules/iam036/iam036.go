// Package iam036 defines IAM036 (cross-account-trust-without-externalid-or-org).
//
// Option: -trusted-accounts (TrustedAccounts), a comma-separated list of
// account ids whose trust needs no condition.
package iam036

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `cross-account trust without external id or org condition

A trust policy naming another account (its root, a bare account id, or a
role or user of that account) lets that account's principals assume the
role. For a third party, AWS's guidance is to require sts:ExternalId: without
it, any customer of the third party can make it assume your role (the
confused deputy problem). For the organization's own accounts, pin the
caller with aws:PrincipalOrgID or aws:PrincipalArn so that the trust does
not outlive the account's membership or widen to every identity in it.
Findings are high when the whole foreign account (or every role of it) is
trusted or the role holds administrator permissions, medium for a single
foreign role or user and for accounts the same cloud assembly deploys to.
Accounts listed with -trusted-accounts are not reported.`

// Rule is IAM036.
var Rule = rules.Register(&rules.Rule{
	Slug:     "cross-account-trust-without-externalid-or-org",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_61"},
	CWE:      []string{"CWE-441", "CWE-284"},
	Fix:      "For a third party add an sts:ExternalId condition; for your own accounts add aws:PrincipalOrgID or trust a specific role ARN with aws:PrincipalArn.",
	Bad:      "new iam.Role(this, 'Vendor', { assumedBy: new iam.AccountPrincipal('222222222222') });",
	Good:     "new iam.Role(this, 'Vendor', { assumedBy: new iam.AccountPrincipal('222222222222'), externalIds: ['acme-7f3c9e2a'] });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM036",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// TrustedAccounts are account ids whose trust needs no condition (set with
// the rule's -trusted-accounts flag). Empty by default.
var TrustedAccounts []string

type accountList struct{}

func (accountList) String() string { return strings.Join(TrustedAccounts, ",") }

func (accountList) Set(s string) error {
	var out []string
	for _, a := range strings.Split(s, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if !trust.IsAccountID(a) {
			return fmt.Errorf("%q is not a 12-digit account id", a)
		}
		out = append(out, a)
	}
	TrustedAccounts = out
	return nil
}

func init() {
	Rule.Analyzer.Flags.Var(accountList{}, "trusted-accounts", "comma-separated account ids whose trust needs no sts:ExternalId or organization condition")
}

func trusted(account string) bool {
	for _, a := range TrustedAccounts {
		if a == account {
			return true
		}
	}
	return false
}

// Offends reports whether IAM036 reports the principal ap of the trust
// statement st: an Allow of sts:AssumeRole to a known principal of another
// account, not in TrustedAccounts, with no condition on
// trust.CrossAccountKeys. IAM037 uses it to leave such principals to
// IAM036.
func Offends(st *iampolicy.Statement, ap trust.AWSPrincipal) bool {
	return ap.Foreign() && !trusted(ap.Account) && trust.GrantsAssumeRole(st) && !trust.Pinned(st, trust.CrossAccountKeys...)
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	c := trust.ContextOf(m)
	for _, p := range m.Principals {
		if p.Kind != stackmodel.Role || p.Trust == nil {
			continue
		}
		var grade *trust.Grade
		for _, st := range p.Trust.Statements {
			for _, ap := range c.AWSPrincipals(st) {
				if !Offends(st, ap) {
					continue
				}
				if grade == nil {
					g := trust.PowerOf(m, p, trust.AllSessions)
					grade = &g
				}
				own := c.InAssembly(ap.Account)
				wide := ap.IsRoot || ap.WildcardInARN
				sev := rules.Medium
				switch {
				case grade.Power.AtLeast(trust.Admin):
					sev = rules.High
				case own:
				case wide:
					sev = rules.High
				}
				rules.Report(pass, rules.Diag{
					At:        ap.Value.At,
					Statement: st,
					Severity:  sev,
					Evidence:  ap.Value.Text,
					Message:   message(m.Where(st), ap, own, grade),
				})
			}
		}
	}
	return nil, nil
}

func message(where string, ap trust.AWSPrincipal, own bool, grade *trust.Grade) string {
	var who string
	switch {
	case ap.IsRoot:
		who = fmt.Sprintf("account %s (%s: every principal of that account)", ap.Account, ap.Value.Text)
	case ap.WildcardInARN:
		who = fmt.Sprintf("every %s matching %s in account %s (IAM does not accept wildcards in principal ARNs)", ap.Kind, ap.Value.Text, ap.Account)
	default:
		who = fmt.Sprintf("%s %s of account %s", ap.Kind, ap.Value.Text, ap.Account)
	}
	s := fmt.Sprintf("%s trusts %s with no %s condition", where, who, trust.KeyNames("sts:ExternalId", "aws:PrincipalOrgID", "aws:PrincipalArn"))
	if own {
		s += fmt.Sprintf("; account %s is one this cloud assembly deploys to: pin the caller with aws:PrincipalArn or aws:PrincipalOrgID", ap.Account)
	} else {
		s += fmt.Sprintf("; if account %s is a third party, require sts:ExternalId (confused deputy), if it is yours, pin it with aws:PrincipalOrgID", ap.Account)
	}
	if grade.Power.AtLeast(trust.PowerUser) {
		s += fmt.Sprintf("; the role holds %s", grade.Evidence)
	}
	return s
}
