// Package iam043 defines IAM043 (role-missing-permissions-boundary).
package iam043

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `role has no permissions boundary (opt-in)

A permissions boundary caps what a role can ever do, whatever policies are
attached to it later. Organizations that let teams create their own roles
(delegated administration) use one to keep those roles below an agreed
ceiling, often enforced by an SCP that denies iam:CreateRole without the
boundary; AWS's IAM guidance describes boundaries as the way to delegate
permission management safely.

The rule is off by default (select it explicitly): it only makes sense
where your organization requires a boundary. It reports every
AWS::IAM::Role without PermissionsBoundary, CDK's own roles included (a
boundary policy applied with PermissionsBoundary.of(app).apply() covers
them too).`

// Rule is IAM043.
var Rule = rules.Register(&rules.Rule{
	Slug:     "role-missing-permissions-boundary",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Disabled: true,
	CWE:      []string{"CWE-269"},
	Fix:      "Apply your organization's boundary to every role of the app: iam.PermissionsBoundary.of(app).apply(boundaryPolicy).",
	Bad:      "new iam.Role(this, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });",
	Good:     "iam.PermissionsBoundary.of(this).apply(iam.ManagedPolicy.fromManagedPolicyName(this, 'Boundary', 'team-boundary'));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM043",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.ResourcesOfType("AWS::IAM::Role") {
		b := r.Prop("PermissionsBoundary")
		if b != nil && b.Kind != cfn.Null && !noValue(b) {
			continue
		}
		at := r.Prop("RoleName")
		if at == nil {
			at = r.Node.Get("Type")
		}
		rules.Report(pass, rules.Diag{
			At: at, Locator: "PermissionsBoundary", Evidence: "missing",
			Message: fmt.Sprintf("role %s has no permissions boundary: attach your organization's boundary policy (PermissionsBoundary)", r.Name()),
		})
	}
	return nil, nil
}

// noValue reports whether n is {"Ref": "AWS::NoValue"}. A conditional
// boundary (Fn::If) counts as set: one branch sets it.
func noValue(n *cfn.Node) bool {
	if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
		s, _ := arg.Literal()
		return s == "AWS::NoValue"
	}
	return false
}
