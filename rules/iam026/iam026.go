// Package iam026 defines IAM026 (permissions-management-unconstrained).
package iam026

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/privesc"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `permissions-management action allowed on every resource

The AWS Service Authorization Reference classes some actions as
"Permissions management": they change who may access a resource, such as
s3:PutBucketPolicy, s3:PutBucketAcl, kms:PutKeyPolicy, kms:CreateGrant,
lambda:AddPermission, secretsmanager:PutResourcePolicy, sns:AddPermission,
ecr:SetRepositoryPolicy and most of IAM. Allowed on every resource, they let
the holder open any bucket, key, function or secret of the account to the
public or to another account, or grant itself access to it. Cloudsplaining
calls this resource exposure; checkov (CKV_AWS_109) and Parliament report
it too. AWS's IAM best practices ask for least privilege: grant these
actions only on the resources the principal administers.

iamvet reads the access level from its embedded catalogue, so patterns are
graded by what they expand to ("s3:Put*" includes s3:PutBucketPolicy); the
few Get/List/Describe actions the reference classes as Permissions
management (glue:GetStage) count as Read. A
statement is unconstrained when it names every resource (Resource "*",
NotResource, or an all-wildcard ARN such as
"arn:aws:kms:us-east-1:123456789012:key/*") and no condition narrows the
resources; MFA, region, network and time conditions do not. A statement
that requires an MFA session (Bool aws:MultiFactorAuthPresent "true") is
reported at low severity. Not reported here: actions that only work with
Resource "*" (there is nothing to scope), values IAM025 reports as privilege
escalation, "*" (IAM011) and service-wide wildcards such as "s3:*" (IAM013).`

// Rule is IAM026.
var Rule = rules.Register(&rules.Rule{
	Slug:     "permissions-management-unconstrained",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_109", "CKV_AWS_289"},
	CWE:      []string{"CWE-732", "CWE-269"},
	Fix:      "Grant permission-management actions only on the resources the principal administers (bucket.bucketArn, key.keyArn), not on \"*\".",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutBucketPolicy'], resources: ['*'] }));",
	Good:     "role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutBucketPolicy'], resources: [bucket.bucketArn] }));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM026",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer, privesc.Analyzer},
		Run:      run,
	},
})

func permissions(a *iamdata.Action) bool {
	return privesc.Level(a) == iamdata.PermissionsManagement && a.SupportsResourceLevel()
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, g := range privesc.Grants(m, privesc.Of(pass), permissions) {
		st, v := g.Statement, g.Value
		on := privesc.OnWhat(st)
		var msg string
		if len(g.Actions) == 1 && strings.EqualFold(g.Actions[0].FullName(), strings.TrimSpace(v.Text)) {
			msg = fmt.Sprintf("%s allows %q on %s: a Permissions management action, so the holder can rewrite who may access each of these resources, opening them to the public or to other accounts",
				m.Where(st), v.Text, on)
		} else {
			what := "action"
			if len(g.Actions) > 1 {
				what = "actions"
			}
			msg = fmt.Sprintf("%s allows %q on %s, which covers %d Permissions management %s (%s): the holder can rewrite who may access each of these resources, opening them to the public or to other accounts",
				m.Where(st), v.Text, on, len(g.Actions), what, rules.List(privesc.FullNames(g.Actions), 3))
		}
		sev := rules.Medium
		switch {
		case g.Mitigation != "":
			sev = rules.Low
			msg += "; " + g.Mitigation
		case privesc.RequiresMFA(st):
			sev = rules.Low
			msg += " (only in MFA sessions)"
		}
		rules.Report(pass, rules.Diag{At: v.At, Statement: st, Evidence: v.Text, Severity: sev, Message: msg})
	}
	return nil, nil
}
