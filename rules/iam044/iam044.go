// Package iam044 defines IAM044 (lambda-permission-public).
package iam044

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `permission lets anyone invoke a Lambda function

An AWS::Lambda::Permission with Principal "*" and no SourceArn,
SourceAccount or PrincipalOrgID adds a statement to the function's resource
policy that any AWS account can use: anyone who learns the function's ARN
can invoke it, with input of their choosing. AWS Lambda's security
guidance asks to grant invocation to named principals, and to pin service
principals to the source resource and account.

Permissions CDK generates for a function URL with authType NONE
(FunctionUrlAuthType NONE, or InvokedViaFunctionUrl) are reported too, as
high, naming the URL: they are what makes the endpoint public, and IAM047
reports the URL's AuthType itself. Invoke actions are high; lambda:* or
other actions are critical.`

// Rule is IAM044.
var Rule = rules.Register(&rules.Rule{
	Slug:     "lambda-permission-public",
	Severity: rules.Critical,
	Since:    "v0.1.0",
	Aliases:  []string{"F13", "LambdaFunctionPublicAccessProhibited", "1d6e16f1-5d8a-4379-bfb3-2dadd38ed5a7"},
	CWE:      []string{"CWE-284", "CWE-306"},
	Fix:      "Grant invocation to a named principal (fn.grantInvoke(role)), or set sourceArn / sourceAccount / principalOrgId on the permission.",
	Bad:      "fn.addPermission('Anyone', { principal: new iam.AnyPrincipal() });",
	Good:     "fn.addPermission('FromTopic', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceArn: topic.topicArn });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM044",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// invokeActions may be granted to "*" for a public API: high, not critical.
var invokeActions = []string{"lambda:InvokeFunction", "lambda:InvokeAsync", "lambda:InvokeFunctionUrl"}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.ResourcesOfType("AWS::Lambda::Permission") {
		pn := r.Prop("Principal")
		if p, ok := pn.Literal(); !ok || p != "*" {
			continue
		}
		if pinned(r) {
			continue
		}
		if r.Prop("FunctionUrlAuthType") != nil || r.Prop("InvokedViaFunctionUrl") != nil {
			urlPermission(pass, r, pn)
			continue
		}
		action, known := r.Prop("Action").Literal()
		if !known {
			action = cfn.SymString(r.Prop("Action"))
		}
		sev, what := rules.High, "anyone can invoke the function"
		if !known || !isInvoke(action) {
			sev, what = rules.Critical, "anyone may call the function's API"
		}
		rules.Report(pass, rules.Diag{
			At:       pn,
			Severity: sev,
			Locator:  "Principal",
			Evidence: action,
			Message: fmt.Sprintf("permission %s grants %s on %s to everyone (Principal \"*\") with no SourceArn, SourceAccount or PrincipalOrgID: %s",
				r.Name(), action, cfn.SymString(r.Prop("FunctionName")), what),
		})
	}
	return nil, nil
}

// urlPermission reports the permissions behind a function URL without
// authentication: FunctionUrlAuthType NONE, or InvokedViaFunctionUrl (the
// lambda:InvokeFunction permission CDK adds next to it). AWS_IAM URLs are
// authenticated: silent.
func urlPermission(pass *analysis.Pass, r *stackmodel.Resource, pn *cfn.Node) {
	auth, ok := r.Prop("FunctionUrlAuthType").Literal()
	via, _ := r.Prop("InvokedViaFunctionUrl").Literal()
	switch {
	case ok && strings.EqualFold(auth, "NONE"):
	case !ok && strings.EqualFold(via, "true"):
	default:
		return
	}
	action := cfn.SymString(r.Prop("Action"))
	rules.Report(pass, rules.Diag{
		At:       pn,
		Severity: rules.High,
		Locator:  "Principal",
		Evidence: action,
		Message: fmt.Sprintf("permission %s grants %s on %s to everyone (Principal \"*\") through its function URL without authentication (authType NONE): anyone on the internet can invoke the function; see IAM047",
			r.Name(), action, cfn.SymString(r.Prop("FunctionName"))),
	})
}

// pinned reports whether the permission names its source or organization.
// A literal wildcard-only value pins nothing; unresolved values count.
func pinned(r *stackmodel.Resource) bool {
	for _, k := range []string{"SourceArn", "SourceAccount", "PrincipalOrgID"} {
		n := r.Prop(k)
		if n == nil {
			continue
		}
		if s, ok := n.Literal(); ok && strings.Trim(s, "*?") == "" {
			continue
		}
		return true
	}
	return false
}

func isInvoke(action string) bool {
	for _, a := range invokeActions {
		if strings.EqualFold(a, action) {
			return true
		}
	}
	return false
}
