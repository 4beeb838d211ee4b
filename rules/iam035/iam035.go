// Package iam035 defines IAM035 (allow-with-notprincipal).
package iam035

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement allows with NotPrincipal

An Allow statement with NotPrincipal grants its actions to every principal
except the ones listed: every IAM user and role of every AWS account and,
in resource policies, anonymous callers. AWS's IAM documentation warns
against using NotPrincipal with Allow and recommends naming the principals
in Principal instead (with conditions such as aws:PrincipalArn or
aws:PrincipalOrgID for exceptions). The statement is reported in trust,
resource and identity policies alike (in an identity policy NotPrincipal is
not valid at all).

Deny with NotPrincipal is AWS's documented, if discouraged, way to deny
everyone but a few principals, and is not reported.`

// Rule is IAM035.
var Rule = rules.Register(&rules.Rule{
	Slug:     "allow-with-notprincipal",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"F6", "F7", "F8", "F9"},
	CWE:      []string{"CWE-284", "CWE-732"},
	Fix:      "Name the principals that need access in Principal; to exclude a few, use a Deny statement with a condition on aws:PrincipalArn instead of Allow with NotPrincipal.",
	Bad:      "bucket.addToResourcePolicy(new iam.PolicyStatement({ effect: iam.Effect.ALLOW, notPrincipals: [admin], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));",
	Good:     "bucket.grantRead(readerRole);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM035",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements() {
		if !st.Allow() || !st.NotPrincipal {
			continue
		}
		except := "the principals listed"
		if len(st.Principals) > 0 {
			except = principals(st.Principals)
		}
		rules.Report(pass, rules.Diag{
			At:        st.PrincipalAt,
			Statement: st,
			Evidence:  "NotPrincipal",
			Message: fmt.Sprintf("%s allows %s to every principal except %s (Allow with NotPrincipal): every other IAM principal of every account%s is granted access",
				m.Where(st), actions(st), except, anonymous(st.Doc.Kind)),
		})
	}
	return nil, nil
}

func anonymous(k iampolicy.Kind) string {
	if k == iampolicy.ResourcePolicy {
		return ", and anonymous callers,"
	}
	return ""
}

func actions(st *iampolicy.Statement) string {
	if st.NotAction {
		return "every action but " + rules.List(rules.Quoted(st.Actions), 3)
	}
	if len(st.Actions) == 0 {
		return "its actions"
	}
	return rules.List(rules.Quoted(st.Actions), 3)
}

func principals(ps []iampolicy.Principal) string {
	var s []string
	for _, p := range ps {
		if p.Type == "*" {
			s = append(s, p.Value.Text)
			continue
		}
		s = append(s, p.Type+" "+p.Value.Text)
	}
	return rules.List(s, 3)
}
