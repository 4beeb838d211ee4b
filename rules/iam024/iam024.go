// Package iam024 defines IAM024 (passrole-without-passedtoservice).
package iam024

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/privesc"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `iam:PassRole without an iam:PassedToService condition

A principal allowed iam:PassRole on a role can hand that role to any AWS
service it can call, not only to the one it was meant for: a role intended
for ECS tasks can be given to a Lambda function or an EC2 instance the
principal creates and controls. AWS's documentation on granting permission
to pass a role recommends the iam:PassedToService condition key (and
iam:AssociatedResourceArn, where the service supports it) to say which
service, and which resource, may receive the role.

The finding is medium when the statement names roles by wildcard
("arn:aws:iam::123456789012:role/app-*") and low when it names each role
exactly (CDK's role.grantPassRole() emits this). Statements that allow
iam:PassRole on every role are IAM023's and are not reported again.`

// Rule is IAM024.
var Rule = rules.Register(&rules.Rule{
	Slug:     "passrole-without-passedtoservice",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	CWE:      []string{"CWE-269"},
	Fix:      "Add a condition naming the receiving service: conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }.",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: ['arn:aws:iam::123456789012:role/app-*'] }));",
	Good:     "role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [taskRole.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } }));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM024",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		vals := privesc.PassRoleValues(st)
		if len(vals) == 0 || privesc.PassRoleUnconstrained(st) || st.HasCondition(privesc.PassKeys...) {
			continue
		}
		sev, on := rules.Low, rules.List(rules.Quoted(st.Resources), 3)
		if wild(st) {
			sev = rules.Medium
		}
		for _, v := range vals {
			what := fmt.Sprintf("%q", v.Text)
			if !strings.EqualFold(v.Text, "iam:PassRole") {
				what = fmt.Sprintf("iam:PassRole (%q)", v.Text)
			}
			rules.Report(pass, rules.Diag{
				At: v.At, Statement: st, Evidence: v.Text, Severity: sev,
				Message: fmt.Sprintf("%s allows %s on %s without an iam:PassedToService condition: the holder can hand the role to any service, not only the one it is meant for",
					m.Where(st), what, on),
			})
		}
	}
	return nil, nil
}

// wild reports whether the statement names roles by pattern (or reaches
// every resource, narrowed by a condition IAM023 accepts).
func wild(st *iampolicy.Statement) bool {
	if privesc.AllResources(st) {
		return true
	}
	for _, r := range st.Resources {
		if strings.ContainsAny(r.Text, "*?") {
			return true
		}
	}
	return false
}
