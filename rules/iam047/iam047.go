// Package iam047 defines IAM047 (lambda-url-auth-none).
package iam047

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `function URL has no authentication (AuthType NONE)

An AWS::Lambda::Url with AuthType NONE is a public HTTPS endpoint: anyone
on the internet who finds the URL can invoke the function, and CDK adds the
matching Principal "*" permissions to the function's resource policy. AWS
Lambda's security guidance asks for AuthType AWS_IAM (callers sign requests
with SigV4 and need lambda:InvokeFunctionUrl) unless the function
authenticates every request itself; a public endpoint should sit behind API
Gateway or CloudFront with authorization, throttling and a WAF.`

// Rule is IAM047.
var Rule = rules.Register(&rules.Rule{
	Slug:     "lambda-url-auth-none",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_258", "LambdaFunctionUrlAuth"},
	CWE:      []string{"CWE-306"},
	Fix:      "Use authType: lambda.FunctionUrlAuthType.AWS_IAM and grant callers fn.grantInvokeUrl(role), or front the function with an authorized API.",
	Bad:      "fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });",
	Good:     "fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM047",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	perms := m.ResourcesOfType("AWS::Lambda::Permission")
	for _, r := range m.ResourcesOfType("AWS::Lambda::Url") {
		at := r.Prop("AuthType")
		if v, ok := at.Literal(); !ok || v != "NONE" {
			continue
		}
		target := cfn.SymString(r.Prop("TargetFunctionArn"))
		var related []rules.Related
		for _, p := range perms {
			if pr, _ := p.Prop("Principal").Literal(); pr != "*" {
				continue
			}
			if p.Prop("FunctionUrlAuthType") == nil && p.Prop("InvokedViaFunctionUrl") == nil {
				continue
			}
			if cfn.SymString(p.Prop("FunctionName")) != target {
				continue
			}
			related = append(related, rules.Related{
				At:      p.Prop("Principal"),
				Message: fmt.Sprintf("permission %s lets everyone invoke it through the URL", p.Name()),
			})
		}
		rules.Report(pass, rules.Diag{
			At:       at,
			Locator:  "AuthType",
			Evidence: "NONE",
			Related:  related,
			Message:  fmt.Sprintf("function URL %s for %s has AuthType NONE: anyone on the internet can invoke the function without authentication", r.Name(), target),
		})
	}
	return nil, nil
}
