// Package iam046 defines IAM046 (lambda-permission-non-invoke-action).
package iam046

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `permission grants a Lambda action other than invoke

An AWS::Lambda::Permission adds a statement to the function's resource
policy. Invoking is what callers and services need (lambda:InvokeFunction,
lambda:InvokeFunctionUrl for function URLs, and the legacy
lambda:InvokeAsync); any other action lets the principal manage the
function instead: lambda:GetFunction returns a link to the deployment
package and the environment variables, lambda:UpdateFunctionCode replaces
the code that runs with the function's role, and lambda:* does all of it.
AWS's least-privilege guidance asks resource policies to grant only the
actions the principal calls; manage functions through IAM roles of the
owning account.

Actions that change the function or its policy, and wildcards, are high;
read actions are medium. Unlike checks that accept only
lambda:InvokeFunction, lambda:InvokeFunctionUrl (what CDK grants for
function URLs) is not reported, and action names are compared ignoring
case as IAM does. Unresolved actions are not reported.`

// Rule is IAM046.
var Rule = rules.Register(&rules.Rule{
	Slug:     "lambda-permission-non-invoke-action",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"W24", "9b83114b-b2a1-4534-990d-06da015e47aa"},
	CWE:      []string{"CWE-732", "CWE-284"},
	Fix:      "Grant lambda:InvokeFunction only (fn.grantInvoke(principal) or addPermission without action); give management access through an IAM role of the owning account.",
	Bad:      "fn.addPermission('Ops', { principal: new iam.AccountPrincipal('222222222222'), action: 'lambda:*' });",
	Good:     "fn.addPermission('Ops', { principal: new iam.AccountPrincipal('222222222222'), action: 'lambda:InvokeFunction' });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM046",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// invokeActions are what a function's resource policy is for.
var invokeActions = []string{"lambda:InvokeFunction", "lambda:InvokeFunctionUrl", "lambda:InvokeAsync"}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.ResourcesOfType("AWS::Lambda::Permission") {
		an := r.Prop("Action")
		action, known := an.Literal()
		if !known || isInvoke(action) {
			continue
		}
		sev, what := grade(action)
		principal := cfn.SymString(r.Prop("Principal"))
		rules.Report(pass, rules.Diag{
			At:       an,
			Severity: sev,
			Locator:  "Action",
			Evidence: action,
			Message: fmt.Sprintf("permission %s grants %s on %s to %s: %s; a function's resource policy should only grant invocation",
				r.Name(), action, cfn.SymString(r.Prop("FunctionName")), principalName(principal), what),
		})
	}
	return nil, nil
}

func isInvoke(action string) bool {
	for _, a := range invokeActions {
		if strings.EqualFold(strings.TrimSpace(action), a) {
			return true
		}
	}
	return false
}

// grade returns high for wildcards and actions that change the function or
// its policy (or that the catalogue does not know), medium for reads.
func grade(action string) (rules.Severity, string) {
	t := strings.TrimSpace(action)
	if strings.ContainsAny(t, "*?") {
		return rules.High, "the principal may read, change and delete the function, its code and its policy"
	}
	switch strings.ToLower(t) {
	case "lambda:getfunction":
		return rules.Medium, "the principal can download the deployment package and read the environment variables"
	case "lambda:getfunctionconfiguration":
		return rules.Medium, "the principal can read the function's configuration and environment variables"
	}
	exp := iamdata.Expand(t)
	if len(exp) == 0 {
		return rules.High, "an action the catalogue does not know"
	}
	for _, a := range exp {
		if a.Access != iamdata.Read && a.Access != iamdata.List {
			return rules.High, fmt.Sprintf("a %s action on the function", strings.ToLower(string(a.Access)))
		}
	}
	return rules.Medium, "the principal can read the function's details"
}

func principalName(p string) string {
	switch {
	case p == "*":
		return `everyone ("*")`
	case p == "":
		return "an unresolved principal"
	}
	return p
}
