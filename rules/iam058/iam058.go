// Package iam058 defines IAM058 (unknown-action-or-service).
package iam058

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `policy names an action or service that does not exist

IAM does not reject a policy that names an action that does not exist: the
statement is accepted and simply never matches. In an Allow that hides what
the author meant (and the workload fails at run time); in a Deny it is worse,
because a misspelled action ("s3:DeleteObjects", "iam:CreateAccesKey")
silently removes the guardrail the statement was written to be. Such findings
are high severity inside a Deny.

iamvet checks every action value of every policy (identity, resource and
trust policies, Action and NotAction) against its embedded copy of the AWS
Service Authorization Reference, ignoring case as IAM does ("S3:GetObject"
and "EC2:*" are valid): the service prefix must exist, a plain action must
exist in that service, and a pattern must match at least one action. The
message suggests the nearest real action or service. Values built with
intrinsic functions are not checked. A new action AWS released after the
catalogue was generated may be reported until the catalogue is refreshed.`

// Rule is IAM058.
var Rule = rules.Register(&rules.Rule{
	Slug:     "unknown-action-or-service",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"W3037"},
	CWE:      []string{"CWE-693"},
	Fix:      "Correct the action name; CDK grant* methods and the AWS Service Authorization Reference give the exact spelling.",
	Bad:      "bucket.addToResourcePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:DeleteObjects'], principals: [new iam.AnyPrincipal()], resources: [bucket.arnForObjects('*')] }));",
	Good:     "bucket.addToResourcePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:DeleteObject'], principals: [new iam.AnyPrincipal()], resources: [bucket.arnForObjects('*')] }));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM058",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements() {
		for _, v := range st.Actions {
			if !v.Known {
				continue
			}
			problem := Check(v.Text)
			if problem == "" {
				continue
			}
			sev, effect := rules.Medium, ""
			if st.Deny() {
				sev, effect = rules.High, ": the Deny does not apply to it, so the guardrail is weaker than written"
			}
			rules.Report(pass, rules.Diag{
				At: v.At, Statement: st, Evidence: v.Text, Severity: sev,
				Message: fmt.Sprintf("%s names %q, %s%s", m.Where(st), v.Text, problem, effect),
			})
		}
	}
	return nil, nil
}

// Check returns what is wrong with an action value ("" if it is a valid
// action or a pattern matching at least one action): an unknown service
// prefix, an unknown action, a pattern matching nothing, or no
// "service:action" shape, each with a suggestion where one is close.
func Check(text string) string {
	t := strings.TrimSpace(text)
	if t == "" {
		return "an empty action"
	}
	if strings.Trim(t, "*") == "" {
		return "" // every action
	}
	svc, name, ok := strings.Cut(t, ":")
	if !ok {
		return "which is not of the form service:action"
	}
	wild := strings.ContainsAny(t, "*?")
	if !strings.ContainsAny(svc, "*?") && iamdata.LookupService(svc) == nil {
		msg := fmt.Sprintf("whose service prefix %q is not an AWS service", svc)
		if !wild {
			if s := iamdata.SuggestAction(t); s != "" {
				return msg + fmt.Sprintf(" (did you mean %s?)", s)
			}
		}
		if s := iamdata.SuggestService(svc); s != "" {
			return msg + fmt.Sprintf(" (did you mean %s?)", s)
		}
		return msg
	}
	if name == "" {
		return "which names no action after the service prefix"
	}
	if wild {
		if len(iamdata.ExpandShared(t)) == 0 {
			return "a pattern that matches no action"
		}
		return ""
	}
	if iamdata.LookupAction(t) != nil {
		return ""
	}
	msg := fmt.Sprintf("which is not an action of %s", strings.ToLower(svc))
	if s := iamdata.SuggestAction(t); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg
}
