// Package iam032 defines IAM032 (audit-log-tampering).
package iam032

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/scope"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement can stop or erase audit logging everywhere

Attackers who get into an account stop or delete its audit trail first
(MITRE ATT&CK T1562.008, "Impair Defenses: Disable or Modify Cloud Logs";
Stratus Red Team's cloudtrail-stop, cloudtrail-delete,
cloudtrail-event-selectors and vpc-remove-flow-logs techniques). A workload
role that can do it on every resource turns any compromise of that
workload into one that leaves no trace. AWS's security best practices ask
that the audit trail be protected from the identities it records.

The actions reported: cloudtrail:StopLogging, DeleteTrail, UpdateTrail,
PutEventSelectors and the event data store equivalents;
config:StopConfigurationRecorder, DeleteConfigurationRecorder and
DeleteDeliveryChannel; guardduty:DeleteDetector, UpdateDetector and the
Disassociate… calls; securityhub:DisableSecurityHub and
BatchDisableStandards (severity high); logs:DeleteLogGroup, DeleteLogStream,
PutRetentionPolicy and DeleteSubscriptionFilter, and ec2:DeleteFlowLogs
(severity medium: they reach log groups and flow logs, usually not the
account's trail). Patterns are expanded with the AWS action catalogue, so
"cloudtrail:*" and "logs:*" are reported. A condition on the resource
(aws:ResourceTag/…, …) silences the rule; another condition lowers the
severity one step. CDK's own LogRetention handler needs
logs:PutRetentionPolicy on "*": that finding is marked CDK-internal and
reported at low severity.`

// Rule is IAM032.
var Rule = rules.Register(&rules.Rule{
	Slug:     "audit-log-tampering",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"iam_policy_no_full_access_to_cloudtrail"},
	CWE:      []string{"CWE-778", "CWE-732"},
	Fix:      "Grant audit roles read-only actions (cloudtrail:LookupEvents, logs:GetLogEvents); name the log groups a workload manages instead of \"*\".",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:*'], resources: ['*'] }));",
	Good:     "logGroup.grantWrite(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM032",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		s := scope.Of(st)
		if s == nil {
			continue
		}
		for _, g := range s.Grants {
			if g.Full {
				continue // administrator access: IAM011/IAM012
			}
			hits := g.Hits(scope.AuditTamper)
			if len(hits) == 0 {
				continue
			}
			sev := rules.Medium
			for _, a := range hits {
				if scope.AccountAudit(a) {
					sev = rules.High
				}
			}
			rules.Report(pass, rules.Diag{
				At:        g.Value.At,
				Statement: st,
				Evidence:  g.Value.Text,
				Severity:  s.Lower(sev),
				Related:   []rules.Related{{At: s.At(hits[0]), Message: "the resource that leaves it unconstrained"}},
				Message: fmt.Sprintf("%s allows %s on %s: it can %s%s",
					m.Where(st), g.Describe(hits), s.On(hits[0]), what(hits), s.LimitNote()),
			})
		}
	}
	return nil, nil
}

// what says what the hits tamper with, each kind once.
func what(hits []*iamdata.Action) string {
	var out []string
	seen := map[string]bool{}
	for _, a := range hits {
		if w := scope.AuditTamperWhat(a); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return scope.Join(out, 3)
}
