// Package iam034 defines IAM034 (trust-wildcard-action).
package iam034

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `role trust policy allows a wildcard action

A role's trust policy controls only the AWS STS calls made against the role:
sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML,
sts:TagSession, sts:SetSourceIdentity and sts:SetContext. An Allow
statement with Action "*", "sts:*" or another wildcard pattern grants every
one of them, including the session actions: sts:TagSession lets the caller
set session tags (which attribute-based access control then trusts),
sts:SetSourceIdentity lets it choose the source identity that CloudTrail
records, and every STS action AWS adds later is granted too. Following
least privilege, list the actions the trusted principal needs (CDK adds
sts:AssumeRole, or the federated action, for you).

Patterns that expand to session actions ("*", "sts:*", "sts:Set*",
"sts:*Session") are high; patterns that expand only to the AssumeRole
variants ("sts:AssumeRole*") are medium. Allow with NotAction in a trust
policy grants every STS action but the ones listed and is high.`

// Rule is IAM034.
var Rule = rules.Register(&rules.Rule{
	Slug:     "trust-wildcard-action",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"F2"},
	CWE:      []string{"CWE-732"},
	Fix:      "List the STS actions the trusted principal needs: sts:AssumeRole (or sts:AssumeRoleWithWebIdentity / sts:AssumeRoleWithSAML), plus sts:TagSession only where session tags are used.",
	Bad:      "new iam.CfnRole(this, 'Role', { assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: ops }, Action: 'sts:*' }] } });",
	Good:     "new iam.Role(this, 'Role', { assumedBy: new iam.ArnPrincipal(ops) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM034",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// trustActions are the actions a role trust policy governs.
var trustActions = []string{
	"sts:AssumeRole",
	"sts:AssumeRoleWithWebIdentity",
	"sts:AssumeRoleWithSAML",
	"sts:TagSession",
	"sts:SetSourceIdentity",
	"sts:SetContext",
}

// session reports whether a trust action is one of the session actions
// (anything but the AssumeRole variants).
func session(a string) bool { return !strings.HasPrefix(a, "sts:AssumeRole") }

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Trust) {
		if !st.Allow() {
			continue
		}
		if st.NotAction {
			if len(st.Actions) == 0 {
				continue
			}
			rules.Report(pass, rules.Diag{
				At:        st.ActionAt,
				Statement: st,
				Evidence:  "NotAction",
				Message: fmt.Sprintf("%s allows every STS action on the role except %s (Allow with NotAction): list the actions the trusted principal needs, such as sts:AssumeRole",
					m.Where(st), rules.List(rules.Quoted(st.Actions), 0)),
			})
			continue
		}
		for _, a := range st.Actions {
			if !a.Known || !strings.ContainsAny(a.Text, "*?") {
				continue
			}
			var matched []string
			sev := rules.Medium
			for _, t := range trustActions {
				if iampolicy.MatchWildcard(a.Text, t) {
					matched = append(matched, t)
					if session(t) {
						sev = rules.High
					}
				}
			}
			if len(matched) == 0 {
				// Matches no trust action (e.g. "s3:*"): the statement grants
				// nothing on the role; not a wildcard trust grant.
				continue
			}
			expands := strings.Join(matched, ", ")
			if len(matched) == len(trustActions) {
				expands = "every STS action on the role: " + expands + " and any added later"
			}
			rules.Report(pass, rules.Diag{
				At:        a.At,
				Severity:  sev,
				Statement: st,
				Evidence:  a.Text,
				Message: fmt.Sprintf("%s allows the wildcard action %q (%s): list the actions the trusted principal needs, such as sts:AssumeRole",
					m.Where(st), a.Text, expands),
			})
		}
	}
	return nil, nil
}
