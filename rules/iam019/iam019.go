// Package iam019 defines IAM019 (aws-managed-policy-attached).
package iam019

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `aws managed policy is attached (opt-in)

AWS managed policies are written for many customers at once: they grant
their actions on every resource, and AWS changes them when services
change, so what a principal may do changes without a deploy. AWS's IAM
best practices suggest starting with AWS managed policies and moving to
customer managed policies that grant only what the workload uses.

The rule is off by default (select it explicitly): CDK attaches AWS
managed policies itself, for instance AWSLambdaBasicExecutionRole to every
Lambda function's role, and many teams accept them. It reports every
AWS managed policy ARN (literal, Fn::Join or Fn::Sub with AWS::Partition,
any path) on a role, user or group, except the administrator and
*FullAccess policies, which IAM018 reports at higher severity.`

// Rule is IAM019.
var Rule = rules.Register(&rules.Rule{
	Slug:     "aws-managed-policy-attached",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Disabled: true,
	Aliases:  []string{"AwsSolutions-IAM4"},
	CWE:      []string{"CWE-269"},
	Fix:      "Replace the AWS managed policy with a customer managed policy (or grant* calls) listing the actions the principal uses on its resources.",
	Bad:      "role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonS3ReadOnlyAccess'));",
	Good:     "bucket.grantRead(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM019",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

const marker = ":iam::aws:policy/"

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, p := range m.Principals {
		for _, v := range p.ManagedPolicyArns {
			i := strings.Index(v.Text, marker)
			if i < 0 || !strings.HasPrefix(v.Text, "arn:") {
				continue
			}
			name := v.Text[i+len(marker):]
			if name == "" || strings.Contains(name, "${") || elevated(name) {
				continue
			}
			rules.Report(pass, rules.Diag{
				At:       v.At,
				Locator:  "ManagedPolicyArns",
				Evidence: name,
				Message:  fmt.Sprintf("%s %s has AWS managed policy %s attached: it grants its actions on every resource and changes when AWS updates it; prefer a customer managed policy scoped to what the %s uses", p.Kind, p.Resource.Name(), name, p.Kind),
			})
		}
	}
	return nil, nil
}

// elevated reports whether IAM018 reports the policy: administrator,
// power user, IAM or organization control and *FullAccess policies.
func elevated(name string) bool {
	base := name[strings.LastIndex(name, "/")+1:]
	switch base {
	case "AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "AWSCloudShellFullAccess", "AWSOrganizationsFullAccess":
		return true
	}
	return strings.HasSuffix(base, "FullAccess") || strings.HasPrefix(base, "AdministratorAccess-")
}
