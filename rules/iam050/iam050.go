// Package iam050 defines IAM050 (kms-key-policy-public).
package iam050

import (
	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/public"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `key policy allows everyone without a pinning condition

An Allow statement in a KMS key policy whose principal is "*" (or
{"AWS": "*"}, or NotPrincipal) lets every AWS account use the key: decrypt
data encrypted under it, or with kms:* change the key policy and schedule
the key's deletion. Unless a condition pins the caller (kms:CallerAccount,
kms:ViaService, aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceArn,
…), the key protects nothing. AWS KMS best practices ask for key policies
that name the principals that use the key. The default key policy CDK
writes (the account root with kms:*) delegates to IAM in the same account
and is not public.

Statements that allow permission management (kms:*, kms:PutKeyPolicy,
kms:CreateGrant) are critical.`

// Rule is IAM050.
var Rule = rules.Register(&rules.Rule{
	Slug:     "kms-key-policy-public",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"F76", "CKV_AWS_33"},
	CWE:      []string{"CWE-284", "CWE-732"},
	Fix:      "Grant the key to named principals (key.grantDecrypt(role)), or pin the statement with kms:CallerAccount and kms:ViaService.",
	Bad:      "key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] }));",
	Good:     "key.grantDecrypt(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM050",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// checker pins the caller of a key policy statement on the common keys
// (public.Keys) and KMS's caller keys.
var checker = public.Checker{Keys: []string{"kms:CallerAccount", "kms:ViaService", "kms:GranteePrincipal"}}

func run(pass *analysis.Pass) (any, error) {
	checker.Report(pass, grade, "AWS::KMS::Key")
	return nil, nil
}

// grade returns the severity of a public statement: critical when an
// action may be permission management (or cannot be told), high otherwise.
func grade(_ *iampolicy.Document, st *iampolicy.Statement) (rules.Severity, string) {
	if public.AllActions(st, func(a *iamdata.Action) bool { return a.Access != iamdata.PermissionsManagement }) {
		return rules.High, "anyone can use the key"
	}
	return rules.Critical, "anyone can use the key and change its policy or grants"
}
