// Package iam029 defines IAM029 (write-unconstrained), an opt-in rule.
package iam029

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/scope"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement allows unconditioned writes on every resource

Reports each action value that grants Write-level actions on every
resource ("*", NotResource or an ARN such as "arn:aws:s3:::*") in a
statement with no condition: the shape checkov's CKV_AWS_111 and
CKV_AWS_290 look for. Unlike CKV_AWS_111, any condition that must hold
counts as a constraint (checkov issues #990, #1392, #5305:
cloudwatch:PutMetricData limited by cloudwatch:namespace is not
unconstrained), because for actions that work only with "Resource": "*" a
condition is the only way to limit them; …IfExists and Null tests, which
pass without the key, do not count.

The rule is off by default. Write actions that can be scoped to resources
are already IAM015's findings, and the sensitive ones have their own rules
(IAM028, IAM030 to IAM032); what IAM029 adds is mostly actions that only accept
"*", such as xray:PutTraceSegments, which CDK grants to every traced
function and which cannot be scoped. Select it explicitly when a
compliance pack requires CKV_AWS_111 parity, and expect it to repeat IAM015
for scopable actions.`

// Rule is IAM029.
var Rule = rules.Register(&rules.Rule{
	Slug:     "write-unconstrained",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Disabled: true,
	Aliases:  []string{"CKV_AWS_111", "CKV_AWS_290"},
	CWE:      []string{"CWE-732"},
	Fix:      "Scope write actions to the resources used, or, for actions that only accept \"*\", limit them with a condition (cloudwatch:namespace, aws:RequestedRegion).",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'] }));",
	Good:     "role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': 'Orders' } } }));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM029",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		s := scope.Of(st)
		if s == nil || s.Narrowed() || s.Limited() {
			continue
		}
		for _, g := range s.Grants {
			// "*" and "svc:*" are IAM011-IAM013's; the sensitive classes
			// are IAM028-IAM032's.
			if g.Full || g.ServiceWide != "" || scope.Claimed(g) {
				continue
			}
			hits := g.Hits(func(a *iamdata.Action) bool { return a.Access == iamdata.Write })
			if len(hits) == 0 {
				continue
			}
			advice := "limit it with a condition, as it only works with \"*\""
			for _, a := range hits {
				if a.SupportsResourceLevel() {
					advice = "scope it to resource ARNs"
					break
				}
			}
			rules.Report(pass, rules.Diag{
				At:        g.Value.At,
				Statement: st,
				Evidence:  g.Value.Text,
				Related:   []rules.Related{{At: s.At(hits[0]), Message: "the resource that leaves it unconstrained"}},
				Message: fmt.Sprintf("%s allows write access %s on %s with no condition: %s",
					m.Where(st), g.Describe(hits), s.On(hits[0]), advice),
			})
		}
	}
	return nil, nil
}
