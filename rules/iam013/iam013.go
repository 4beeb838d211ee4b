// Package iam013 defines IAM013 (service-wide-wildcard-action).
package iam013

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement allows every action of a service

An Allow statement with a service-wide wildcard ("s3:*", "iam:*", "kms:*")
grants every current and future action of that service, including its
permission-management and destructive ones: "iam:*" lets the holder grant
itself anything, "kms:*" lets it rewrite key policies and schedule key
deletion, "s3:*" lets it delete buckets and make them public. Severity
follows the service: account-takeover services (iam, organizations, sso)
are critical on every resource; services holding credentials, keys, data or
compute are high; others medium. Scoping the resources or adding conditions
lowers the severity one step each, but least privilege still asks for the
actions the workload calls.`

// Rule is IAM013.
var Rule = rules.Register(&rules.Rule{
	Slug:     "service-wide-wildcard-action",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"AwsSolutions-IAM5", "CKV2_AWS_40", "AWS-0345"},
	CWE:      []string{"CWE-269", "CWE-732"},
	Fix:      "List the service's actions the principal calls (for S3 reads: s3:GetObject; CDK: bucket.grantRead(role)) instead of \"svc:*\".",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));",
	Good:     "bucket.grantReadWrite(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM013",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

var why = map[string]string{
	"iam":            "includes iam:PutRolePolicy, iam:AttachRolePolicy and iam:CreatePolicyVersion, enough to become administrator",
	"organizations":  "includes leaving the organization and changing its service control policies",
	"sso":            "includes creating permission sets and assigning them to any account",
	"sts":            "includes sts:AssumeRole on every role that trusts this account",
	"kms":            "includes kms:PutKeyPolicy and kms:ScheduleKeyDeletion",
	"s3":             "includes s3:PutBucketPolicy, s3:DeleteBucket and reading every object",
	"secretsmanager": "includes reading every secret value",
	"ssm":            "includes reading every SecureString parameter and running commands on instances",
	"lambda":         "includes lambda:UpdateFunctionCode and lambda:AddPermission on every function",
	"ec2":            "includes terminating instances and opening security groups",
	"dynamodb":       "includes reading and deleting every table",
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		if !st.Allow() || st.NotAction {
			continue
		}
		all := st.AllResources()
		for _, a := range st.Actions {
			svc := wildcard.ServiceWide(a)
			if svc == "" {
				continue
			}
			sev := wildcard.Sensitivity(svc)
			on := "every resource"
			if !all {
				sev = sev.Lower()
				on = "its resources"
			}
			if !wildcard.Unconditioned(st) {
				sev = sev.Lower()
			}
			msg := fmt.Sprintf("%s allows every %s action (%q) on %s", m.Where(st), svc, a.Text, on)
			if w := why[svc]; w != "" {
				msg += ": " + w
			}
			rules.Report(pass, rules.Diag{At: a.At, Statement: st, Evidence: a.Text, Severity: sev, Message: msg})
		}
	}
	return nil, nil
}
