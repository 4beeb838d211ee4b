// Package iam011 defines IAM011 (admin-star-star).
package iam011

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement grants administrator access (every action on *)

An Allow statement with Action "*" (or "*:*") and Resource "*" is the
AdministratorAccess policy under another name: whoever holds it can do
anything in the account, including granting themselves more. The same holds
for Allow with NotAction on "*": it grants every action except the few
listed, including every action AWS adds in future. AWS's IAM best practices
ask for least privilege: grant the actions a workload calls on the resources
it uses.`

// Rule is IAM011.
var Rule = rules.Register(&rules.Rule{
	Slug:     "admin-star-star",
	Severity: rules.Critical,
	Since:    "v0.1.0",
	Aliases:  []string{"AwsSolutions-IAM5", "CKV_AWS_62", "F3", "F4"},
	CWE:      []string{"CWE-269", "CWE-732"},
	Fix:      "List the actions the principal calls (grant* methods in CDK do this) and scope them to the resources it uses.",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));",
	Good:     "bucket.grantRead(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM011",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		if !st.Allow() || !st.AllResources() {
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
				Message: fmt.Sprintf("%s allows every action except %s on every resource (Allow with NotAction): administrator access minus a deny-list",
					m.Where(st), rules.List(rules.Texts(st.Actions), 0)),
			})
			continue
		}
		for _, a := range st.Actions {
			if wildcard.IsFull(a) {
				rules.Report(pass, rules.Diag{
					At:        a.At,
					Statement: st,
					Evidence:  a.Text,
					Message:   fmt.Sprintf("%s allows every action (%q) on every resource: administrator access", m.Where(st), a.Text),
				})
			}
		}
	}
	return nil, nil
}
