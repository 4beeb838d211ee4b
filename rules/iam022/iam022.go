// Package iam022 defines IAM022 (shared-execution-role).
package iam022

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `one role is the execution role of several workloads

When several Lambda functions (or ECS task definitions) run with the same
role, each of them holds the union of the permissions all of them need: a
flaw in the least important function can use the permissions of the most
sensitive one, and the role can never be trimmed for one of them. AWS's
IAM best practices ask for least privilege per workload: one role per
function or task.

The rule groups AWS::Lambda::Function (and AWS::Serverless::Function)
Role values and AWS::ECS::TaskDefinition TaskRoleArn values that name the
same role: Fn::GetAtt or Ref of the same in-stack role, or the same ARN
(literal, Fn::Join or Fn::Sub). Values it cannot resolve are left alone.
ECS execution roles (ExecutionRoleArn, used by the ECS agent to pull images
and write logs) are not workload roles and are not compared. Roles shared
only by CDK's own functions (custom resource providers) are not reported.`

// Rule is IAM022.
var Rule = rules.Register(&rules.Rule{
	Slug:     "shared-execution-role",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Aliases:  []string{"ae03f542-1423-402f-9cef-c834e7ee9583"},
	CWE:      []string{"CWE-250", "CWE-269"},
	Fix:      "Let CDK create a role per function (omit the role prop) and grant each function what it uses (table.grantReadData(fn)).",
	Bad:      "const role = new iam.Role(this, 'Shared', { assumedBy }); new lambda.Function(this, 'A', { role, ... }); new lambda.Function(this, 'B', { role, ... });",
	Good:     "const a = new lambda.Function(this, 'A', { ... }); table.grantReadData(a); const b = new lambda.Function(this, 'B', { ... }); queue.grantSendMessages(b);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM022",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

type use struct {
	r    *stackmodel.Resource
	at   *cfn.Node
	kind string // "function", "task definition"
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	groups := map[string][]use{}
	names := map[string]string{}
	var order []string
	for _, r := range m.Resources {
		var at *cfn.Node
		kind := "function"
		switch r.Type {
		case "AWS::Lambda::Function", "AWS::Serverless::Function":
			at = r.Prop("Role")
		case "AWS::ECS::TaskDefinition":
			at, kind = r.Prop("TaskRoleArn"), "task definition"
		default:
			continue
		}
		key, name := roleKey(m, at)
		if key == "" {
			continue
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
			names[key] = name
		}
		groups[key] = append(groups[key], use{r, at, kind})
	}
	for _, key := range order {
		us := groups[key]
		if len(us) < 2 {
			continue
		}
		internal := true
		for _, u := range us {
			internal = internal && u.r.Internal != ""
		}
		if internal {
			continue
		}
		for i, u := range us {
			var others []string
			var related []rules.Related
			for j, o := range us {
				if j == i {
					continue
				}
				others = append(others, o.kind+" "+o.r.Name())
				related = append(related, rules.Related{At: o.at, Message: o.kind + " " + o.r.Name() + " uses the same role"})
			}
			rules.Report(pass, rules.Diag{
				At: u.at, Locator: "Role", Evidence: names[key], Related: related,
				Message: fmt.Sprintf("%s %s shares its role %s with %s: each holds the permissions all of them need; give each workload its own role",
					u.kind, u.r.Name(), names[key], strings.Join(others, ", ")),
			})
		}
	}
	return nil, nil
}

// roleKey identifies the role a Role/TaskRoleArn value names and a name
// for messages; "" when it cannot be resolved.
func roleKey(m *stackmodel.Model, n *cfn.Node) (key, name string) {
	if n == nil {
		return "", ""
	}
	if fn, arg, ok := n.Intrinsic(); ok {
		id := ""
		switch fn {
		case "Ref":
			id, _ = arg.Literal()
		case "Fn::GetAtt":
			switch {
			case arg.Kind == cfn.Array && len(arg.Vals) == 2:
				attr, _ := arg.Vals[1].Literal()
				if attr == "Arn" {
					id, _ = arg.Vals[0].Literal()
				}
			case arg.Kind == cfn.String:
				if r, attr, ok := strings.Cut(arg.Str, "."); ok && attr == "Arn" {
					id = r
				}
			}
		}
		if id != "" {
			if r := m.Resource(id); r != nil && r.Type == "AWS::IAM::Role" {
				return "res:" + id, r.Name()
			}
			return "", ""
		}
	}
	text, _ := cfn.Sym(n)
	if text == "" || strings.Contains(text, cfn.Unknown) {
		return "", ""
	}
	return "arn:" + strings.ToLower(text), text
}
