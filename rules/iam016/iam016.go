// Package iam016 defines IAM016 (allow-with-notaction).
package iam016

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `resource policy allows every action except a few (NotAction)

An Allow statement with NotAction grants every action that is not listed:
every action the resource's service has today and every action AWS adds
later, including permission management (s3:PutBucketPolicy,
kms:PutKeyPolicy, sqs:SetQueueAttributes) and deletion. AWS's IAM
documentation warns that Allow with NotAction grants more than intended
and recommends listing the allowed actions instead.

This rule covers resource-based policies (bucket, queue, topic, key,
secret, repository and other resource policies) when the principal is an
account, role, user or service, or a "*" narrowed by an organization,
account or ARN condition. Other places are reported by the rules that
own them, so that one statement yields one finding: identity policies by
IAM011 (NotAction on every resource) and IAM012 (on named resources),
trust policies by IAM034, and statements open to everyone by the public
resource-policy rules (IAM048–IAM052) and IAM035 (NotPrincipal).`

// Rule is IAM016.
var Rule = rules.Register(&rules.Rule{
	Slug:     "allow-with-notaction",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"W14", "W15", "W16", "W17", "W18", "W19", "W20", "818f38ed-8446-4132-9c03-474d49e10195"},
	CWE:      []string{"CWE-732", "CWE-269"},
	Fix:      "List the actions the principal needs (Action) instead of the ones it must not have (NotAction); CDK grant* methods on the resource do this.",
	Bad:      "bucket.addToResourcePolicy(new iam.PolicyStatement({ notActions: ['s3:DeleteObject'], principals: [partnerRole], resources: [bucket.arnForObjects('*')] }));",
	Good:     "bucket.grantReadWrite(partnerRole);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM016",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.ResourcePolicy) {
		if !st.Allow() || !st.NotAction || len(st.Actions) == 0 || st.NotPrincipal {
			continue
		}
		if publicUnpinned(st) {
			continue // the public resource-policy rules report it
		}
		var who []string
		for _, p := range st.Principals {
			who = append(who, p.Value.Text)
		}
		to := ""
		if len(who) > 0 {
			to = " to " + rules.List(who, 0)
		}
		rules.Report(pass, rules.Diag{
			At:        st.ActionAt,
			Statement: st,
			Evidence:  "NotAction",
			Message: fmt.Sprintf("%s allows every action except %s%s (Allow with NotAction): every other action on the resource, including permission management and actions AWS adds later; list the allowed actions instead",
				m.Where(st), rules.List(rules.Texts(st.Actions), 0), to),
		})
	}
	return nil, nil
}

// publicUnpinned reports whether a principal of st is everyone and no
// condition pins the caller's organization, account or ARN.
func publicUnpinned(st *iampolicy.Statement) bool {
	for _, p := range st.Principals {
		if p.IsPublic() {
			return !trust.Pinned(st)
		}
	}
	return false
}
