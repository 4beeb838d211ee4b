// Package iam028 defines IAM028 (data-exfiltration-unconstrained).
package iam028

import (
	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/scope"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement can read data or secrets from every resource

Read access is not harmless when it is unconstrained: s3:GetObject on every
bucket has a long history of customer data leaks, and ssm:GetParameter* and
secretsmanager:GetSecretValue on "*" hand out every secret in the account.
AWS's IAM best practices ask for least privilege: grant data reads on the
buckets, tables, parameters and secrets the workload uses (CDK:
bucket.grantRead(role), table.grantReadData(role), secret.grantRead(role)).

The actions reported are those that return stored data or secrets. The
core list is Cloudsplaining's read-only data exfiltration actions (which
checkov's CKV_AWS_108 runs): s3:GetObject, ssm:GetParameter,
ssm:GetParameters, ssm:GetParametersByPath and secretsmanager:GetSecretValue.
iamvet adds the calls returning the same data (s3:GetObjectVersion,
ssm:GetParameterHistory, secretsmanager:BatchGetSecretValue) and bulk reads
of databases, queues and streams: dynamodb:Scan, Query, GetItem,
BatchGetItem, PartiQLSelect, GetRecords and ExportTableToPointInTime (which
copies a table to any bucket), rds-data and redshift-data statements,
sqs:ReceiveMessage, kinesis:GetRecords and athena:GetQueryResults. Patterns
are expanded with the AWS action catalogue, so "s3:Get*" and "dynamodb:*"
are reported when they include one of these on every resource.

Every resource means "*", NotResource or an ARN such as "arn:aws:s3:::*".
A condition on the resource (aws:ResourceTag/…, aws:ResourceAccount,
s3:prefix, dynamodb:LeadingKeys, …) silences the rule; another condition
lowers the severity one step.`

// Rule is IAM028.
var Rule = rules.Register(&rules.Rule{
	Slug:     "data-exfiltration-unconstrained",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_108", "CKV_AWS_288"},
	CWE:      []string{"CWE-200", "CWE-732"},
	Fix:      "Grant reads on the resources the workload uses: bucket.grantRead(role), table.grantReadData(role), secret.grantRead(role), or name their ARNs in the statement.",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Scan', 'dynamodb:Query'], resources: ['*'] }));",
	Good:     "table.grantReadData(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM028",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	scope.Report(pass, scope.DataRead, func(hits []*iamdata.Action) (rules.Severity, string) {
		return rules.Medium, "it can read " + scope.Kinds(hits, scope.DataReadWhat)
	})
	return nil, nil
}
