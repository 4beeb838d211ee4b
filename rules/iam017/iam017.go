// Package iam017 defines IAM017 (allow-with-notresource).
package iam017

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement allows actions on every resource except a few

An Allow statement with NotResource grants its actions on every resource
that is not listed: every other bucket, key or role of this account and of
every other account that trusts it, including resources created later. It
reads like a restriction but is the opposite. AWS's IAM guidance is to name
the resources a statement applies to; NotResource belongs in Deny
statements (guardrails), which this rule leaves alone. Allow with both
NotAction and NotResource is IAM011's finding.`

// Rule is IAM017.
var Rule = rules.Register(&rules.Rule{
	Slug:     "allow-with-notresource",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"W21", "W22", "W23", "PASS_ROLE_WITH_NOT_RESOURCE"},
	CWE:      []string{"CWE-732"},
	Fix:      "List the resources the statement applies to in Resource; keep NotResource for Deny statements.",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], notResources: ['arn:aws:s3:::audit/*'] }));",
	Good:     "bucket.grantPut(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM017",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		if !st.Allow() || !st.NotResource || st.NotAction || len(st.Actions) == 0 {
			continue
		}
		sev := rules.Medium
		for _, a := range st.Actions {
			if writes(a) {
				sev = rules.High
			}
		}
		rules.Report(pass, rules.Diag{
			At: st.ResourceAt, Statement: st, Severity: sev, Evidence: "NotResource",
			Message: fmt.Sprintf("%s allows %s on every resource except %s (Allow with NotResource): every other resource of every account that trusts it is included",
				m.Where(st), rules.List(rules.Texts(st.Actions), 0), rules.List(rules.Texts(st.Resources), 0)),
		})
	}
	return nil, nil
}

// writes reports whether an action value can change or grant something
// (Write or Permissions management access); unknown actions count as writes.
func writes(a iampolicy.Value) bool {
	if !a.Known {
		return true
	}
	acts := iamdata.Expand(a.Text)
	if len(acts) == 0 {
		return true
	}
	for _, x := range acts {
		if x.Access == iamdata.Write || x.Access == iamdata.PermissionsManagement {
			return true
		}
	}
	return false
}
