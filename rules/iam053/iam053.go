// Package iam053 defines IAM053 (resource-policy-wildcard-action).
package iam053

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/public"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `resource policy grants every action to another principal

An Allow statement in a resource policy (bucket, queue, topic, key,
secret, repository, …) whose Action is "*" or a service-wide wildcard
("kms:*", "s3:*"), or that uses NotAction, gives the principal every
current and future action on the resource: with "kms:*" an application
role can rewrite the key policy and schedule the key's deletion, with
"s3:*" a partner account can delete the bucket or make it public. AWS's
least-privilege guidance applies to resource policies too: grant the
actions the principal calls (CDK's grant* methods do).

The stack's own account root is not reported: a statement granting it
"kms:*" is the default key policy CDK writes, and delegates to the
account's IAM policies rather than granting anything itself. Public
principals are reported here for the wildcard and by IAM048–IAM052 for
being public. Unresolved principals and actions are not reported.
Lambda permissions with lambda:* are IAM046's.`

// Rule is IAM053.
var Rule = rules.Register(&rules.Rule{
	Slug:     "resource-policy-wildcard-action",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"F15", "F20", "AWS-0097", "CKV_AWS_72", "4ae8af91-5108-42cb-9471-3bdbe596eac9"},
	CWE:      []string{"CWE-732", "CWE-269"},
	Fix:      "List the actions the principal calls, or use the resource's grant* method (key.grantEncryptDecrypt(role), bucket.grantRead(role)).",
	Bad:      "key.addToResourcePolicy(new iam.PolicyStatement({ principals: [appRole], actions: ['kms:*'], resources: ['*'] }));",
	Good:     "key.grantEncryptDecrypt(appRole);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM053",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// consequences says what a service-wide wildcard includes.
var consequences = map[string]string{
	"kms":            "including kms:PutKeyPolicy and kms:ScheduleKeyDeletion",
	"s3":             "including s3:PutBucketPolicy and s3:DeleteBucket",
	"sqs":            "including sqs:SetQueueAttributes (the queue policy) and sqs:DeleteQueue",
	"sns":            "including sns:SetTopicAttributes (the topic policy) and sns:DeleteTopic",
	"secretsmanager": "including secretsmanager:PutResourcePolicy and secretsmanager:DeleteSecret",
	"ecr":            "including ecr:SetRepositoryPolicy and ecr:PutImage",
	"events":         "including events:PutRule and events:PutTargets",
	"backup":         "including backup:DeleteRecoveryPoint",
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	ctx := trust.ContextOf(m)
	for _, d := range public.Documents(m) {
		for _, st := range d.Statements {
			if !st.Allow() {
				continue
			}
			who := grantees(ctx, st)
			if len(who) == 0 {
				continue
			}
			to := rules.List(who, 3)
			if st.NotAction {
				if len(st.Actions) > 0 && st.ActionAt != nil {
					rules.Report(pass, rules.Diag{
						At: st.ActionAt, Statement: st, Evidence: "NotAction",
						Message: fmt.Sprintf("%s allows every action except %s (Allow with NotAction) to %s: grant the actions it calls",
							public.Where(m, st), public.Actions(st)[len("every action except "):], to),
					})
				}
				continue
			}
			for _, a := range st.Actions {
				var msg string
				switch svc := wildcard.ServiceWide(a); {
				case wildcard.IsFull(a):
					msg = fmt.Sprintf("%s allows every action (%q) to %s: grant the actions it calls", public.Where(m, st), a.Text, to)
				case svc != "":
					msg = fmt.Sprintf("%s allows every %s action (%q) to %s", public.Where(m, st), svc, a.Text, to)
					if c := consequences[svc]; c != "" {
						msg += ", " + c
					}
					msg += ": grant the actions it calls"
				default:
					continue
				}
				rules.Report(pass, rules.Diag{At: a.At, Statement: st, Evidence: a.Text, Message: msg})
			}
		}
	}
	return nil, nil
}

// grantees returns how messages name the principals of st that a wildcard
// should not go to: everything but the stack's own account root and
// unresolved principals. NotPrincipal is everyone but those listed.
func grantees(ctx *trust.Context, st *iampolicy.Statement) []string {
	if st.NotPrincipal {
		return []string{"everyone but the principals listed (NotPrincipal)"}
	}
	var out []string
	for _, pr := range st.Principals {
		switch pr.Type {
		case "AWS", "*":
			p, _ := ctx.Classify(pr)
			switch {
			case !p.Known:
			case p.Public:
				out = append(out, `everyone ("*")`)
			case p.IsRoot && p.SameAccount:
			case p.Kind == trust.Role && p.SameAccount && p.Name != "":
				out = append(out, "role "+p.Name)
			default:
				out = append(out, p.Describe())
			}
		case "Service", "Federated", "CanonicalUser":
			if pr.Value.Known {
				out = append(out, strings.ToLower(pr.Type)+" "+pr.Value.Text)
			}
		}
	}
	return out
}
