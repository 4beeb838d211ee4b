// Package iam049 defines IAM049 (sqs-sns-policy-public).
package iam049

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `queue or topic policy allows everyone without pinning

An Allow statement in an SQS queue policy or SNS topic policy whose
principal is "*" (or {"AWS": "*"}, or NotPrincipal) applies to every AWS
account. Unless a condition pins the caller (aws:SourceArn,
aws:SourceAccount, aws:PrincipalOrgID, aws:PrincipalAccount,
aws:SourceVpce, …), anyone can inject messages into the queue or topic,
read or delete them, or subscribe their own endpoint to a topic and receive
everything published to it. aws:SecureTransport only requires TLS and pins
nothing. AWS's SQS and SNS security best practices ask to grant access to
named principals and to pin service principals to the source resource;
Deny statements with "*" (CDK enforceSSL) are guardrails and are not
reported.

Statements that also allow permission management (sqs:*, sns:*,
AddPermission, SetQueueAttributes, SetTopicAttributes) are critical.`

// Rule is IAM049.
var Rule = rules.Register(&rules.Rule{
	Slug:     "sqs-sns-policy-public",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"F18", "F21", "F20", "F7", "F8", "W18", "W19", "AWS-0097", "CKV_AWS_168", "CKV_AWS_169", "CKV_AWS_72"},
	CWE:      []string{"CWE-284", "CWE-732"},
	Fix:      "Grant the queue or topic to named principals (queue.grantSendMessages(role), topic.grantPublish(role)), or pin service principals with aws:SourceArn and aws:SourceAccount.",
	Bad:      "queue.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));",
	Good:     "topic.addSubscription(new subs.SqsSubscription(queue)); // CDK pins the SNS principal with aws:SourceArn",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM049",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// pinKeys pin the caller of a queue or topic policy statement, on top of
// trust.PinKeys.
var pinKeys = append([]string{"aws:SourceVpce", "aws:SourceVpc", "aws:SourceOwner"}, trust.PinKeys...)

var kinds = map[string]string{"AWS::SQS::QueuePolicy": "queue", "AWS::SNS::TopicPolicy": "topic"}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, d := range m.Documents {
		kind := kinds[d.ResourceType]
		if kind == "" || d.Kind != iampolicy.ResourcePolicy {
			continue
		}
		for _, st := range d.Statements {
			if !st.Allow() || pinned(st) {
				continue
			}
			sev, what := grade(st, kind)
			for _, at := range publicAt(st) {
				rules.Report(pass, rules.Diag{
					At:        at.node,
					Statement: st,
					Severity:  sev,
					Evidence:  at.text,
					Message: fmt.Sprintf("%s allows %s to everyone (%s)%s: %s",
						m.Where(st), actions(st), at.text, conditionNote(st), what),
				})
			}
		}
	}
	return nil, nil
}

// publicRef is one public principal of a statement.
type publicRef struct {
	node *cfn.Node
	text string
}

// publicAt returns the public principals of an Allow statement: "*" or
// {"AWS": "*"} values, or the NotPrincipal element (Allow with NotPrincipal
// applies to everyone but the listed principals).
func publicAt(st *iampolicy.Statement) []publicRef {
	if st.NotPrincipal {
		if st.PrincipalAt == nil {
			return nil
		}
		return []publicRef{{st.PrincipalAt, "NotPrincipal"}}
	}
	var out []publicRef
	for _, p := range st.Principals {
		if !p.IsPublic() {
			continue
		}
		text := `"*"`
		if p.Type != "*" {
			text = fmt.Sprintf("%q: \"*\"", p.Type)
		}
		at := p.Value.At
		if at == nil {
			at = st.PrincipalAt
		}
		out = append(out, publicRef{at, text})
	}
	return out
}

// pinned reports whether a condition of st pins the caller: a positive
// match on a pinning key (see trust.Pins), or IpAddress on aws:SourceIp
// with a range narrower than the whole internet.
func pinned(st *iampolicy.Statement) bool {
	if trust.Pinned(st, pinKeys...) {
		return true
	}
	for _, c := range st.Conditions {
		if !strings.EqualFold(c.Key, "aws:SourceIp") || !strings.EqualFold(c.Base, "IpAddress") || c.IfExists || len(c.Values) == 0 {
			continue
		}
		narrow := true
		for _, v := range c.Values {
			if v.Known && (v.Text == "0.0.0.0/0" || v.Text == "::/0") {
				narrow = false
			}
		}
		if narrow {
			return true
		}
	}
	return false
}

// grade returns the severity of a public statement: critical when an
// action may be permission management (or cannot be told), high otherwise.
func grade(st *iampolicy.Statement, kind string) (rules.Severity, string) {
	crit := rules.Critical
	critWhat := "anyone can use the " + kind + " and change its policy or attributes"
	if st.NotAction || len(st.Actions) == 0 {
		return crit, critWhat
	}
	for _, a := range st.Actions {
		if !a.Known {
			return crit, critWhat
		}
		exp := iamdata.Expand(a.Text)
		if len(exp) == 0 {
			return crit, critWhat
		}
		for _, x := range exp {
			if x.Access == iamdata.PermissionsManagement {
				return crit, critWhat
			}
		}
	}
	return rules.High, "any AWS account can call these actions on the " + kind
}

func actions(st *iampolicy.Statement) string {
	var parts []string
	for _, a := range st.Actions {
		parts = append(parts, a.Text)
	}
	s := strings.Join(parts, ", ")
	if st.NotAction {
		return "every action except " + s
	}
	return s
}

// conditionNote says why the statement's conditions, if any, do not help.
func conditionNote(st *iampolicy.Statement) string {
	if len(st.Conditions) == 0 {
		return " with no condition"
	}
	seen := map[string]bool{}
	var keys []string
	for _, c := range st.Conditions {
		if !seen[c.Key] {
			seen[c.Key] = true
			keys = append(keys, c.Key)
		}
	}
	return " with conditions (" + strings.Join(keys, ", ") + ") that do not pin the caller"
}
