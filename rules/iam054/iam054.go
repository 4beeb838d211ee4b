// Package iam054 defines IAM054 (iot-policy-wildcards).
package iam054

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `wildcard action or resource in an IoT policy

An AWS IoT Core policy (AWS::IoT::Policy) is what a device certificate may
do. An Allow statement with Action "*" or "iot:*" lets any device holding
a certificate the policy is attached to do everything IoT allows: publish
to and subscribe on every topic, read and update every thing's shadow,
run jobs. Resource "*" (or an ARN that wildcards the whole resource, or
every client id, topic or topic filter: client/*, topic/*, topicfilter/*)
lets one compromised device connect as any other client id, knocking it
off, and read or inject every message of the fleet. AWS IoT's security
best practices (and Device Defender's "IoT policies overly permissive"
audit check) ask for least-privilege policies whose resources use policy
variables such as ${iot:Connection.Thing.ThingName}.

Each wildcard action and each wildcard resource is reported; Deny
statements and resource lists (not only a single "*") are read
correctly.`

// Rule is IAM054.
var Rule = rules.Register(&rules.Rule{
	Slug:     "iot-policy-wildcards",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"W38", "W39", "4d32780f-43a4-424a-a06d-943c543576a5", "be5b230d-4371-4a28-a441-85dc760e2aa3"},
	CWE:      []string{"CWE-732"},
	Fix:      "List the IoT actions the device uses (iot:Connect, iot:Publish, iot:Subscribe, iot:Receive) on resources scoped with policy variables (client/${iot:Connection.Thing.ThingName}, topic/devices/${iot:Connection.Thing.ThingName}/*).",
	Bad:      "new iot.CfnPolicy(this, 'Device', { policyDocument: { Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] } });",
	Good:     "new iot.CfnPolicy(this, 'Device', { policyDocument: { Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `arn:aws:iot:${region}:${account}:client/\\${iot:Connection.Thing.ThingName}` }] } });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM054",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// iotServices are the services whose actions IoT policies grant.
var iotServices = map[string]bool{"iot": true, "greengrass": true, "iotjobsdata": true}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, d := range m.Documents {
		if d.ResourceType != "AWS::IoT::Policy" {
			continue
		}
		where := "IoT policy " + d.LogicalID
		if r := m.DocResource(d); r != nil {
			where = "IoT policy " + r.Name()
		}
		for _, st := range d.Statements {
			if !st.Allow() {
				continue
			}
			w := where + " " + st.Where()
			if st.NotAction && len(st.Actions) > 0 && st.ActionAt != nil {
				rules.Report(pass, rules.Diag{
					At: st.ActionAt, Statement: st, Evidence: "NotAction",
					Message: fmt.Sprintf("%s allows every IoT action except %s (Allow with NotAction): list the actions devices use", w, rules.List(rules.Texts(st.Actions), 3)),
				})
			}
			if !st.NotAction {
				for _, a := range st.Actions {
					svc := wildcard.ServiceWide(a)
					if !wildcard.IsFull(a) && !iotServices[svc] {
						continue
					}
					rules.Report(pass, rules.Diag{
						At: a.At, Statement: st, Evidence: a.Text,
						Message: fmt.Sprintf("%s allows every IoT action (%q): devices can publish and subscribe on every topic and update every shadow; list the actions they use", w, a.Text),
					})
				}
			}
			if st.NotResource && st.ResourceAt != nil {
				rules.Report(pass, rules.Diag{
					At: st.ResourceAt, Statement: st, Evidence: "NotResource",
					Message: fmt.Sprintf("%s allows %s on every resource except %s (NotResource): scope resources with policy variables", w, rules.List(rules.Texts(st.Actions), 3), rules.List(rules.Texts(st.Resources), 3)),
				})
				continue
			}
			for _, r := range st.Resources {
				what := broad(r)
				if what == "" {
					continue
				}
				rules.Report(pass, rules.Diag{
					At: r.At, Statement: st, Evidence: r.Text,
					Message: fmt.Sprintf("%s allows %s on %s (%q): scope it with policy variables such as ${iot:Connection.Thing.ThingName}", w, rules.List(rules.Texts(st.Actions), 3), what, r.Text),
				})
			}
		}
	}
	return nil, nil
}

// broad says what a wildcard resource covers ("every resource", "every
// topic"), or "" for a scoped or unresolved one.
func broad(r iampolicy.Value) string {
	t := r.Text
	if r.Known && strings.Trim(t, "*") == "" && t != "" {
		return "every resource"
	}
	parts := trust.SplitARN(t)
	if len(parts) != 6 || parts[0] != "arn" {
		return ""
	}
	res := parts[5]
	if strings.Contains(res, "${") {
		return "" // a variable part is not a wildcard
	}
	if strings.Trim(res, "*") == "" {
		return "every resource"
	}
	typ, rest, ok := strings.Cut(res, "/")
	if !ok || strings.Trim(rest, "*") != "" {
		return ""
	}
	switch typ {
	case "client":
		return "every client id"
	case "topic":
		return "every topic"
	case "topicfilter":
		return "every topic filter"
	case "thing":
		return "every thing"
	}
	return ""
}
