// Package iam049 defines IAM049 (sqs-sns-policy-public).
package iam049

import (
	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/public"
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

// checker pins the caller of a queue or topic policy statement on the
// common keys (public.Keys: organization, account, source, VPC keys).
var checker = public.Checker{}

var kinds = map[string]string{"AWS::SQS::QueuePolicy": "queue", "AWS::SNS::TopicPolicy": "topic"}

func run(pass *analysis.Pass) (any, error) {
	checker.Report(pass, grade, "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy")
	return nil, nil
}

// grade returns the severity of a public statement: critical when an
// action may be permission management (or cannot be told), high otherwise.
func grade(d *iampolicy.Document, st *iampolicy.Statement) (rules.Severity, string) {
	kind := kinds[d.ResourceType]
	if public.AllActions(st, func(a *iamdata.Action) bool { return a.Access != iamdata.PermissionsManagement }) {
		return rules.High, "any AWS account can call these actions on the " + kind
	}
	return rules.Critical, "anyone can use the " + kind + " and change its policy or attributes"
}
