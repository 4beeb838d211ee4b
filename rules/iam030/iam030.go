// Package iam030 defines IAM030 (assumerole-any-role).
package iam030

import (
	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/scope"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement allows sts:AssumeRole on every role

An Allow statement granting sts:AssumeRole on "*" (or "sts:*", or
"arn:aws:iam::*:role/*") lets the principal assume every role whose trust
policy trusts it or its account, in this account and in every other: a
trust policy that names the account root (CDK's AccountPrincipal and
AccountRootPrincipal) delegates the decision to identity policies like
this one. One compromised pipeline or workload role then chains into every
deployment or administrator role that trusts its account. AWS's IAM best
practices ask for least privilege: name the roles the principal assumes
(role.grantAssumeRole(principal) in CDK).

A condition on the role (aws:ResourceTag/…, aws:ResourceAccount,
aws:ResourceOrgID) silences the rule; another condition lowers the severity
one step. sts:AssumeRoleWithWebIdentity and sts:AssumeRoleWithSAML are not
reported: only the role's trust policy governs them.`

// Rule is IAM030.
var Rule = rules.Register(&rules.Rule{
	Slug:     "assumerole-any-role",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"e835bd0d-65da-49f7-b6d1-b646da8727e6", "iam_no_custom_policy_permissive_role_assumption"},
	CWE:      []string{"CWE-269"},
	Fix:      "Name the roles the principal assumes (targetRole.grantAssumeRole(role)), or require a tag on them with an aws:ResourceTag condition.",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: ['*'] }));",
	Good:     "deployRole.grantAssumeRole(pipelineRole);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM030",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	scope.Report(pass, scope.AssumeRole, func([]*iamdata.Action) (rules.Severity, string) {
		return rules.High, "the principal can assume every role that trusts it or its account, here and in other accounts"
	})
	return nil, nil
}
