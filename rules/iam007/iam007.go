// Package iam007 defines IAM007 (user-not-in-group).
package iam007

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `iam user belongs to no group

A user in no group gets its permissions one user at a time, if at all:
AWS's IAM guidance is to manage people's permissions through groups (or
through federation and roles), so that everyone doing the same job has the
same, reviewable permissions and a group's policy can be changed once.

The rule reports an AWS::IAM::User that lists no group in Groups and that
no AWS::IAM::UserToGroupAddition of the stack adds to a group (in-stack or
named). It cannot see groups added outside the template, hence the low
severity.`

// Rule is IAM007.
var Rule = rules.Register(&rules.Rule{
	Slug:     "user-not-in-group",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Aliases: []string{"F2000",
		"HIPAA.Security-IAMUserGroupMembership", "NIST.800.53.R4-IAMUserGroupMembership", "NIST.800.53.R5-IAMUserGroupMembership", "PCI.DSS.321-IAMUserGroupMembership",
		"06933df4-0ea7-461c-b9b5-104d27390e0e", "CKV2_AWS_21"},
	CWE:  []string{"CWE-269"},
	Fix:  "Add the user to a group that carries the permissions its job needs (or move the person to IAM Identity Center).",
	Bad:  "const user = new iam.User(this, 'Alice'); user.addManagedPolicy(readOnly);",
	Good: "const readers = new iam.Group(this, 'Readers', { managedPolicies: [readOnly] }); new iam.User(this, 'Alice', { groups: [readers] });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM007",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, p := range m.Principals {
		if p.Kind != stackmodel.User || len(p.Groups) > 0 || len(p.ExternalGroups) > 0 {
			continue
		}
		u := p.Resource
		at := u.Prop("UserName")
		if at == nil {
			at = u.Node.Get("Type")
		}
		rules.Report(pass, rules.Diag{
			At:       at,
			Locator:  "Groups",
			Evidence: "no group",
			Message:  fmt.Sprintf("user %s is in no group (no Groups, no UserToGroupAddition in this stack): manage its permissions through a group", u.Name()),
		})
	}
	return nil, nil
}
