// Package iam032 defines IAM032 (audit-log-tampering).
package iam032

import (
	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
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
	scope.Report(pass, scope.AuditTamper, func(hits []*iamdata.Action) (rules.Severity, string) {
		sev := rules.Medium
		for _, a := range hits {
			if scope.AccountAudit(a) {
				sev = rules.High
			}
		}
		return sev, "it can " + scope.Kinds(hits, scope.AuditTamperWhat)
	})
	return nil, nil
}
