// Package iam015 defines IAM015 (wildcard-resource-on-restrictable-action).
package iam015

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/scope"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement grants scopable actions on every resource

AWS's IAM best practices ask for least privilege: grant actions on the
resources a workload uses. Most actions can be scoped to resource ARNs (a
bucket, a table, a queue); granting them on "*" (or NotResource, or an ARN
such as "arn:aws:s3:::*") extends them to every such resource in the account,
including ones created later.

IAM015 reads the AWS service authorization reference embedded in iamvet and
reports only actions that support resource-level permissions. Actions that
work only with "Resource": "*" (ecr:GetAuthorizationToken,
xray:PutTraceSegments, cloudwatch:PutMetricData, ec2:DescribeInstances) are
never reported: "*" is the only way to grant them, and flagging them is the
peers' best-known false positive. A wildcard pattern is reported when it
expands to a scopable action that modifies something; read-only patterns
(ec2:Describe*, config:Get*) mostly expand to actions that need "*" and are
left alone.

One finding per statement lists the offending actions, reported on the
resource value. Severity is medium when any of them writes, manages
permissions or tags, low when all of them only read or list; a condition
that limits when the statement applies lowers it one step, and a condition
on the resource (aws:ResourceTag/…, aws:ResourceAccount, kms:ViaService, …)
silences it. Full wildcards ("*", "svc:*") are IAM011 to IAM013's business,
and the sensitive classes have their own rules: data reads (IAM028),
sts:AssumeRole (IAM030), KMS decryption (IAM031) and audit-log tampering
(IAM032).`

// Rule is IAM015.
var Rule = rules.Register(&rules.Rule{
	Slug:     "wildcard-resource-on-restrictable-action",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"AwsSolutions-IAM5", "W11", "W12", "W13", "CKV_AWS_355", "CKV_AWS_356", "I3510"},
	CWE:      []string{"CWE-732"},
	Fix:      "Name the resources the actions are used on (bucket.bucketArn, table.tableArn) instead of \"*\"; CDK grant* methods (bucket.grantPut(role)) do it for you.",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['*'] }));",
	Good:     "bucket.grantPut(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM015",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		s := scope.Of(st)
		if s == nil || s.Narrowed() {
			continue
		}
		var (
			names   []string
			related []rules.Related
			first   *iamdata.Action
			writes  bool
			many    bool // more than one offending action
		)
		for _, g := range s.Grants {
			if g.Full || g.ServiceWide != "" || scope.Claimed(g) {
				continue
			}
			hits := offending(g)
			if len(hits) == 0 {
				continue
			}
			if first == nil {
				first = hits[0]
			}
			for _, a := range hits {
				if modifies(a) {
					writes = true
				}
			}
			many = many || g.Pattern || len(names) > 0
			d := g.Describe(hits)
			names = append(names, d)
			related = append(related, rules.Related{At: g.Value.At, Message: d + " supports resource-level permissions"})
		}
		if first == nil {
			anyResource(pass, m, st)
			continue
		}
		sev := rules.Low
		if writes {
			sev = rules.Medium
		}
		subject := "it"
		if many {
			subject = "they"
		}
		rules.Report(pass, rules.Diag{
			At:        s.At(first),
			Statement: st,
			Evidence:  s.Evidence(first),
			Severity:  s.Lower(sev),
			Related:   related,
			Message: fmt.Sprintf("%s allows %s on %s, though %s can be scoped to resource ARNs%s",
				m.Where(st), rules.List(names, 5), s.On(first), subject, s.LimitNote()),
		})
	}
	return nil, nil
}

// anyResource reports, at low severity, an AwsCustomResource policy written
// with AwsCustomResourcePolicy.ANY_RESOURCE ("*") whose actions all accept
// only "*": nothing is wider than IAM allows today, but the construct's
// policy is the one SDK calls added later inherit, and CDK offers
// fromSdkCalls({ resources }) to scope them.
func anyResource(pass *analysis.Pass, m *stackmodel.Model, st *iampolicy.Statement) {
	r := m.DocResource(st.Doc)
	if r == nil || r.Internal != "" || !strings.HasSuffix(r.ConstructPath, "/CustomResourcePolicy/Resource") || st.NotResource {
		return
	}
	var star *iampolicy.Value
	for i, v := range st.Resources {
		if v.IsStar() {
			star = &st.Resources[i]
		}
	}
	if star == nil || len(st.Actions) == 0 || st.NotAction {
		return
	}
	var acts []string
	for _, a := range st.Actions {
		if !a.Known {
			return
		}
		acts = append(acts, a.Text)
	}
	rules.Report(pass, rules.Diag{
		At: star.At, Statement: st, Evidence: "ANY_RESOURCE", Severity: rules.Low,
		Message: fmt.Sprintf("%s (AwsCustomResource policy) grants %s on every resource (AwsCustomResourcePolicy.ANY_RESOURCE): these actions accept only \"*\" today, but calls added to this custom resource later get \"*\" too; prefer fromSdkCalls({ resources: [...] }) with the ARNs each call needs",
			m.Where(st), strings.Join(acts, ", ")),
	})
}

// offending returns the exposed actions of g that IAM015 reports: for a
// plain action, the action if it supports resource-level permissions; for
// a pattern, its scopable actions that modify something (a read-only
// pattern is mostly actions that need "*").
func offending(g scope.Grant) []*iamdata.Action {
	return g.Hits(func(a *iamdata.Action) bool {
		if !a.SupportsResourceLevel() {
			return false
		}
		return !g.Pattern || modifies(a)
	})
}

// modifies reports whether an action changes something: Write,
// Permissions management or Tagging (tags drive attribute-based access).
func modifies(a *iamdata.Action) bool {
	return a.Access != iamdata.Read && a.Access != iamdata.List
}
