// Package iam025 defines IAM025 (privilege-escalation-path).
package iam025

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/privesc"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `policy allows a known privilege-escalation method

Some IAM permissions let whoever holds them give themselves more: rewriting
or attaching policies (iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion,
iam:Attach*Policy, iam:Put*Policy), taking over other users
(iam:CreateAccessKey, iam:CreateLoginProfile, iam:UpdateLoginProfile,
iam:AddUserToGroup), rewriting a role's trust policy
(iam:UpdateAssumeRolePolicy), removing a permissions boundary, replacing the
code of a function that runs with another role (lambda:UpdateFunctionCode,
glue:UpdateDevEndpoint), or passing any existing role (iam:PassRole on every
role) to compute the holder creates and controls (ec2:RunInstances,
lambda:CreateFunction with lambda:InvokeFunction or
lambda:CreateEventSourceMapping, glue:CreateDevEndpoint,
cloudformation:CreateStack, datapipeline:CreatePipeline,
codebuild:CreateProject with codebuild:StartBuild, ecs:RegisterTaskDefinition
with ecs:RunTask). The methods are those of Rhino Security Labs' research
("AWS IAM Privilege Escalation – Methods and Mitigation") as listed by
Cloudsplaining, which checkov (CKV_AWS_110) and Parliament reuse.

iamvet reports a method when its actions are allowed on every resource
(Resource "*", NotResource, or an all-wildcard ARN such as
"arn:aws:iam::123456789012:user/*") with no condition that narrows the
resources; MFA, region, network and time conditions do not. Single-action
methods are reported on the action value that grants them, wildcard patterns
included ("iam:*Policy*" covers iam:CreatePolicyVersion, iam:AttachRolePolicy
and iam:PutRolePolicy). Combinations are evaluated across every statement
of every policy attached to one role, user or group (a user's groups
included) and reported once per principal and method, on the iam:PassRole
value, with the other parts as related locations; an iam:PassedToService
condition limits the combinations to the services it names. A Deny without
conditions attached to the same principal removes a method; a conditional
Deny (such as the force-MFA policy) lowers the finding to medium. Statements
allowing "*" are IAM011's (administrator access) and are not repeated here.

AWS's IAM best practices ask for least privilege and for permissions
boundaries when administration is delegated: scope these actions to the
users, roles and policies the principal manages, or require
iam:PermissionsBoundary on the roles it creates.`

// Rule is IAM025.
var Rule = rules.Register(&rules.Rule{
	Slug:     "privilege-escalation-path",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_110", "CKV_AWS_286"},
	CWE:      []string{"CWE-269"},
	Fix:      "Scope the IAM actions to the users, roles and policies the principal manages (and require iam:PermissionsBoundary), and pass only named roles to named services.",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PutRolePolicy', 'iam:AttachRolePolicy'], resources: ['*'] }));",
	Good:     "role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PutRolePolicy'], resources: [appRole.roleArn] }));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM025",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer, privesc.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, f := range privesc.Of(pass).Findings {
		d := rules.Diag{At: f.Value.At, Statement: f.Statement}
		if f.Method == nil {
			d.Evidence = f.Value.Text
			d.Message = single(m, f)
		} else {
			d.Evidence = f.Method.Name + "@" + f.Principals[0].Resource.LogicalID
			d.Message = combo(m, f)
			for _, p := range f.Parts {
				d.Related = append(d.Related, rules.Related{At: p.Value.At, Message: fmt.Sprintf("%s grants %s", m.Where(p.Statement), p.Action)})
			}
		}
		if f.Mitigation != "" {
			d.Severity = rules.Medium
			d.Message += "; " + f.Mitigation
		}
		rules.Report(pass, d)
	}
	return nil, nil
}

func single(m *stackmodel.Model, f *privesc.Finding) string {
	on := privesc.OnWhat(f.Statement)
	v := f.Value.Text
	if len(f.Methods) == 1 && !strings.ContainsAny(v, "*?") {
		meth := f.Methods[0]
		return fmt.Sprintf("%s allows %q on %s: privilege escalation, the holder can %s (%s)", m.Where(f.Statement), v, on, meth.Does, meth.Name)
	}
	var names []string
	for _, meth := range f.Methods {
		names = append(names, meth.Actions[0])
	}
	verb := "covers"
	if privesc.IsServiceWide(f.Value) {
		verb = "includes"
	}
	what := "privilege escalation primitive"
	if len(names) > 1 {
		what += "s"
	}
	return fmt.Sprintf("%s allows %q on %s, which %s %d %s (%s): e.g. the holder can %s", m.Where(f.Statement), v, on, verb, len(names), what, rules.List(names, 3), f.Methods[0].Does)
}

func combo(m *stackmodel.Model, f *privesc.Finding) string {
	var who []string
	for _, p := range f.Principals {
		who = append(who, string(p.Kind)+" "+p.Resource.Name())
	}
	var others []string
	for _, p := range f.Parts {
		others = append(others, p.Action)
	}
	return fmt.Sprintf("%s can pass any role (%q in %s) and %s (%s): privilege escalation to any role that trusts %s (%s)",
		rules.List(who, 3), f.Value.Text, m.Where(f.Statement), f.Method.Does, rules.List(others, 3), f.Method.Service, f.Method.Name)
}
