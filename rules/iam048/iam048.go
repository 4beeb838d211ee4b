// Package iam048 defines IAM048 (s3-bucket-policy-public).
package iam048

import (
	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/public"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `bucket policy allows everyone without a pinning condition

An Allow statement in an S3 bucket policy whose principal is "*" (or
{"AWS": "*"}, or NotPrincipal) applies to every caller: any AWS account,
and for most actions anonymous requests too. Unless a condition pins the
caller (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce,
aws:SourceVpc, aws:SourceArn, aws:SourceAccount, …), the bucket's objects
can be read, or written and deleted, by anyone. aws:SecureTransport only
requires TLS and pins nothing. AWS's S3 security best practices ask to
block public access and grant access to named principals; Deny statements
with "*" (CDK enforceSSL) are guardrails and are not reported.

Write, delete and permission actions are critical; read-only access is high.`

// Rule is IAM048.
var Rule = rules.Register(&rules.Rule{
	Slug:     "s3-bucket-policy-public",
	Severity: rules.Critical,
	Since:    "v0.1.0",
	Aliases:  []string{"F16", "F15", "F9", "W20", "AwsSolutions-S2", "AwsSolutions-S5", "CKV_AWS_70"},
	CWE:      []string{"CWE-284", "CWE-732"},
	Fix:      "Grant the bucket to named principals (bucket.grantRead(role)), or add a condition such as aws:PrincipalOrgID or aws:SourceVpce; serve public content through CloudFront with origin access control.",
	Bad:      "bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));",
	Good:     "bucket.grantRead(new iam.OrganizationPrincipal('o-abc123def4'));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM048",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// checker pins the caller of a bucket policy statement on the common keys
// (public.Keys) and S3's access point keys.
var checker = public.Checker{Keys: []string{"s3:DataAccessPointAccount", "s3:DataAccessPointArn"}}

func run(pass *analysis.Pass) (any, error) {
	checker.Report(pass, grade, "AWS::S3::BucketPolicy")
	return nil, nil
}

// grade returns the severity of a public statement: high when every action
// is known to be List or Read, critical otherwise (write, delete,
// permission management, wildcards, NotAction, unknown actions).
func grade(_ *iampolicy.Document, st *iampolicy.Statement) (rules.Severity, string) {
	if public.AllActions(st, func(a *iamdata.Action) bool { return a.Access == iamdata.List || a.Access == iamdata.Read }) {
		return rules.High, "anyone can read the bucket's data"
	}
	return rules.Critical, "anyone can write, delete or change the bucket's data"
}
