// Package iam012 defines IAM012 (wildcard-action).
package iam012

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement allows every action of every service

An Allow statement whose Action is "*" (or "*:*") grants every API of every
AWS service on the resources it names, including every action AWS adds in
future; Allow with NotAction does the same minus a deny-list. Even scoped to
one resource, "*" includes permission-management and destructive actions
(s3:PutBucketPolicy, s3:DeleteBucket, kms:ScheduleKeyDeletion). AWS's IAM
best practices ask for least privilege: list the actions the workload calls.
On every resource the same statement is IAM011 (administrator access).`

// Rule is IAM012.
var Rule = rules.Register(&rules.Rule{
	Slug:     "wildcard-action",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"AwsSolutions-IAM5", "CKV_AWS_63", "F3", "F4", "F5", "W14", "W15", "W16", "W17"},
	CWE:      []string{"CWE-269", "CWE-732"},
	Fix:      "Replace \"*\" with the actions the principal calls; CDK grant* methods (bucket.grantRead(role)) generate them.",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: [bucket.bucketArn] }));",
	Good:     "bucket.grantRead(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM012",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		// Every resource: IAM011 reports it as administrator access.
		if !st.Allow() || st.AllResources() || len(st.Resources) == 0 {
			continue
		}
		if st.NotAction {
			if len(st.Actions) > 0 {
				rules.Report(pass, rules.Diag{
					At: st.ActionAt, Statement: st, Evidence: "NotAction",
					Message: fmt.Sprintf("%s allows every action except %s (Allow with NotAction) on %s", m.Where(st), rules.List(rules.Quoted(st.Actions), 3), rules.List(rules.Quoted(st.Resources), 3)),
				})
			}
			continue
		}
		for _, a := range st.Actions {
			if wildcard.IsFull(a) {
				rules.Report(pass, rules.Diag{
					At: a.At, Statement: st, Evidence: a.Text,
					Message: fmt.Sprintf("%s allows every action (%q) on %s", m.Where(st), a.Text, rules.List(rules.Quoted(st.Resources), 3)),
				})
			}
		}
	}
	return nil, nil
}
