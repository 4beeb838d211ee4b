// Package iam040 defines IAM040 (service-trust-missing-source-condition).
package iam040

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `service role trust has no aws:SourceAccount or SourceArn

Some AWS services assume a customer's role on behalf of a resource named in
a request (a Config recorder, a DataSync location, a flow log, a
subscription destination, a schedule, a Transfer Family server, an IoT
rule). If the role's trust policy lets the service principal assume it
without a condition on the resource the call is made for, the service can
be used as a confused deputy: a request made in another account that names
the role can make the service act with the role's permissions. For these
services AWS's documentation ("cross-service confused deputy prevention")
puts aws:SourceAccount and/or aws:SourceArn (or aws:SourceOrgID) in the
role's trust policy.

The rule is deliberately limited to services whose own documentation shows
those conditions in the role trust policy: config, datasync,
vpc-flow-logs, logs (CloudWatch Logs destinations), scheduler (EventBridge
Scheduler), transfer, iot, personalize, transcribe, sms-voice and
autoscaling. Compute execution roles (lambda, ecs-tasks, ec2, states,
codebuild, edgelambda, apigateway, …) are not reported: the service assumes
them for a function, task or instance that the role was passed to with
iam:PassRole in the same account, CDK never adds such conditions, and
reporting them would flag nearly every role of every CDK app (the false
positives peers are known for). CloudTrail's CloudWatch Logs role is not
reported either: CloudTrail documents that the condition does not apply
to it.

The finding is low: it is defense in depth, not exposure.`

// Rule is IAM040.
var Rule = rules.Register(&rules.Rule{
	Slug:     "service-trust-missing-source-condition",
	Severity: rules.Low,
	Since:    "v0.1.0",
	CWE:      []string{"CWE-441"},
	Fix:      "Add the source condition to the service principal: new iam.ServicePrincipal('config.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }).",
	Bad:      "new iam.Role(this, 'ConfigRole', { assumedBy: new iam.ServicePrincipal('config.amazonaws.com') });",
	Good:     "new iam.Role(this, 'ConfigRole', { assumedBy: new iam.ServicePrincipal('config.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': Stack.of(this).account } }) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM040",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// confusedDeputy maps the services whose documentation shows
// aws:SourceAccount / aws:SourceArn in the role trust policy to what they
// assume the role for (used in messages).
var confusedDeputy = map[string]string{
	"config":        "a Config recorder or delivery channel",
	"datasync":      "a DataSync location",
	"vpc-flow-logs": "a flow log",
	"logs":          "a CloudWatch Logs destination or subscription",
	"scheduler":     "an EventBridge Scheduler schedule",
	"transfer":      "a Transfer Family server, workflow or connector",
	"iot":           "an IoT rule",
	"personalize":   "a Personalize resource",
	"transcribe":    "a Transcribe job",
	"sms-voice":     "an End User Messaging configuration set",
	"autoscaling":   "an Auto Scaling group",
}

// sourceKeys are the keys that tie a service's request to the resource (or
// account) it acts for.
var sourceKeys = []string{"aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths"}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Trust) {
		if !st.Allow() || st.NotPrincipal || hasSource(st) || trust.OpaqueConditions(st) {
			continue
		}
		for _, p := range st.Principals {
			if p.Type != "Service" {
				continue
			}
			svc := service(p.Value.Text)
			what, ok := confusedDeputy[svc]
			if !ok {
				continue
			}
			rules.Report(pass, rules.Diag{
				At:        p.Value.At,
				Statement: st,
				Evidence:  svc,
				Message: fmt.Sprintf("%s lets %s assume the role with no aws:SourceAccount or aws:SourceArn condition: the service assumes it for %s named in a request, and without the condition a request from another account can make it act with this role (cross-service confused deputy)",
					m.Where(st), p.Value.Text, what),
			})
		}
	}
	return nil, nil
}

// service returns the service name of a service principal:
// "config.amazonaws.com" → "config", "logs.${AWS::Region}.amazonaws.com" →
// "logs", "logs.amazonaws.com.cn" → "logs". It returns "" when the name
// itself is not literal.
func service(principal string) string {
	s := strings.ToLower(principal)
	name, rest, ok := strings.Cut(s, ".")
	if !ok || name == "" || strings.Contains(name, "${") {
		return ""
	}
	if !strings.HasSuffix(rest, "amazonaws.com") && !strings.HasSuffix(rest, "amazonaws.com.cn") {
		return ""
	}
	return name
}

// hasSource reports whether the statement carries a source condition that
// pins it (trust.Pinned: a positive operator, no IfExists, no
// ForAllValues, no wildcard-only value; unresolvable values count).
func hasSource(st *iampolicy.Statement) bool { return trust.Pinned(st, sourceKeys...) }
