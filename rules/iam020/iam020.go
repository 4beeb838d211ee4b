// Package iam020 defines IAM020 (inline-policy).
package iam020

import (
	"fmt"
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `inline policy is used instead of a managed policy (opt-in)

Inline policies live inside one role, user or group: they cannot be
reused, versioned or rolled back, and they do not show up in the list of
policies an auditor reviews. AWS's IAM guidance recommends customer managed
policies over inline policies in most cases, and several compliance packs
(HIPAA, NIST 800-53, PCI DSS) require them.

The rule is off by default (select it explicitly): in CDK every role's
grants land in an inline AWS::IAM::Policy (the role's DefaultPolicy), which
is the idiomatic way to write least-privilege CDK. It reports inline
Policies entries on roles, users and groups, AWS::IAM::Policy resources and
AWS::IAM::RolePolicy, UserPolicy and GroupPolicy resources.`

// Rule is IAM020.
var Rule = rules.Register(&rules.Rule{
	Slug:     "inline-policy",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Disabled: true,
	Aliases: []string{"HIPAA.Security-IAMNoInlinePolicy", "NIST.800.53.R4-IAMNoInlinePolicy", "NIST.800.53.R5-IAMNoInlinePolicy", "PCI.DSS.321-IAMNoInlinePolicy",
		"a58d1a2d-4078-4b80-855b-84cc3f7f4540", "9e8c89b3-7997-4d15-93e4-7911b9db99fd"},
	CWE:  []string{"CWE-269"},
	Fix:  "Put the statements in a customer managed policy (new iam.ManagedPolicy) and attach it to the role, user or group.",
	Bad:  "role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));",
	Good: "role.addManagedPolicy(new iam.ManagedPolicy(this, 'ReadSite', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] })] }));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM020",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

var kindOf = map[string]string{"AWS::IAM::Role": "role", "AWS::IAM::User": "user", "AWS::IAM::Group": "group"}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.Resources {
		switch r.Type {
		case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
			for i, p := range r.Prop("Policies").Elems() {
				if p.Kind != cfn.Object {
					continue
				}
				if _, _, ok := p.Intrinsic(); ok {
					continue
				}
				name, ok := p.Get("PolicyName").Literal()
				if !ok {
					name = "#" + strconv.Itoa(i+1)
				}
				at := p.Get("PolicyName")
				if at == nil {
					at = p
				}
				rules.Report(pass, rules.Diag{
					At: at, Locator: "Policies[" + name + "]", Evidence: "inline",
					Message: fmt.Sprintf("%s %s has inline policy %q: use a customer managed policy", kindOf[r.Type], r.Name(), name),
				})
			}
		case "AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy":
			at := r.Prop("PolicyName")
			if at == nil {
				at = r.Node.Get("Type")
			}
			rules.Report(pass, rules.Diag{
				At: at, Locator: "PolicyName", Evidence: r.Type,
				Message: fmt.Sprintf("policy %s is an inline policy (%s): use a customer managed policy (AWS::IAM::ManagedPolicy)", r.Name(), r.Type),
			})
		}
	}
	return nil, nil
}
