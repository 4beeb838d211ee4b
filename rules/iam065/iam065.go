// Package iam065 defines IAM065 (broad-suppression).
//
// IAM065's findings are not computed by its analyzer: whether a suppression
// hides a high or critical finding is only known once every other rule has
// run. The analyzer's Run reports nothing; internal/suppress.Apply, the
// suppression stage that runs after the rules, returns the IAM065 findings
// (reported on the suppression entry's id in the resource Metadata, with the
// driver's locations and fingerprints).
package iam065

import (
	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/rules"
)

const doc = `blanket suppression hides a high or critical finding

A suppression that names a rule but not the findings it accepts (cdk-nag
rules_to_suppress or acknowledgement without applies_to, a cfn_nag or
checkov suppression, an iamvet suppression without appliesTo) hides every
finding of that rule on the resource, today's and tomorrow's. Blanket
"temporary" suppressions are how AdministratorAccess ships unseen: the
suppression written for a logging policy also hides the admin policy
attached later. AWS's IAM best practices ask to review permissions
regularly and remove the ones that are not needed; a suppression that
hides a high or critical finding should name exactly what was accepted so
that reviewers see it.

IAM065 reports a suppression without applies_to (cdk-nag 2.x resource and
stack suppressions, cdk-nag 3.x acknowledgements without a finding id,
cfn_nag, checkov and iamvet's own) when it hides at least one high or
critical iamvet finding, on the suppression's id, naming the rules it
hides, how many findings and the highest severity. Granular suppressions
(applies_to) are never reported.`

// Rule is IAM065. Its findings come from the suppression stage
// (internal/suppress), not from its analyzer.
var Rule = rules.Register(&rules.Rule{
	Slug:     "broad-suppression",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Fix:      "Scope the suppression to the accepted findings (cdk-nag appliesTo such as 'Policy::arn:<AWS::Partition>:iam::aws:policy/...', iamvet appliesTo) or fix what it hides.",
	Bad:      "NagSuppressions.addResourceSuppressions(role, [{ id: 'AwsSolutions-IAM4', reason: 'Temporary, will be removed after migration.' }]);",
	Good:     "NagSuppressions.addResourceSuppressions(role, [{ id: 'AwsSolutions-IAM4', reason: 'Logs only.', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] }]);",
	Analyzer: &analysis.Analyzer{
		Name: "IAM065",
		Doc:  doc,
		Run:  run,
	},
})

// run reports nothing: see the package documentation.
func run(*analysis.Pass) (any, error) { return nil, nil }
