// Package iam067 defines IAM067 (user-in-external-group).
package iam067

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `user added to a group defined outside the stack

A user put into a group that the template does not define
(AWS::IAM::UserToGroupAddition with a GroupName, or a user's Groups naming
a group created elsewhere — CDK's Group.fromGroupName) receives whatever
that group grants, and none of it is visible in the template: a reviewer of
this change cannot tell whether the user just became an administrator. AWS's
IAM best practices ask for least privilege and for entitlements that can be
reviewed; granting through a group the application owns keeps both. The
finding is high when the group's name reads as administrative (Admins,
Administrators, PowerUsers, root, ops-admin, …), medium otherwise.`

// Rule is IAM067.
var Rule = rules.Register(&rules.Rule{
	Slug:     "user-in-external-group",
	Severity: rules.Medium,
	Since:    "v0.2.0",
	CWE:      []string{"CWE-269"},
	Fix:      "Grant the user's permissions through a group (or better, a role) defined in the same app, so the template shows what the membership grants; if the external group is intended, suppress with a reason naming who reviews it.",
	Bad:      "iam.Group.fromGroupName(this, 'Admins', 'Admins').addUser(alice);",
	Good:     "const readers = new iam.Group(this, 'Readers'); bucket.grantRead(readers); readers.addUser(alice);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM067",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// adminName matches group names that read as administrative.
var adminName = regexp.MustCompile(`(?i)(^|[^a-z])(admin|administrators?|power.?users?|root|super.?users?|full.?access|owners?)([^a-z]|$)|admins?$|^admin`)

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	inStack := func(n *cfn.Node) bool {
		if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
			id, _ := arg.Literal()
			r := m.Resource(id)
			return r != nil && r.Type == "AWS::IAM::Group"
		}
		if s, ok := n.Literal(); ok {
			for _, g := range m.ResourcesOfType("AWS::IAM::Group") {
				if gn, ok := g.Prop("GroupName").Literal(); ok && gn == s {
					return true
				}
			}
		}
		return false
	}
	report := func(at *cfn.Node, who, group string) {
		sev := rules.Medium
		why := "what it grants is not visible in this template"
		if adminName.MatchString(group) {
			sev = rules.High
			why = "its name reads as administrative, and what it grants is not visible in this template"
		}
		rules.Report(pass, rules.Diag{
			At: at, Severity: sev, Locator: "Groups", Evidence: group,
			Message: fmt.Sprintf("%s is added to group %q, which is defined outside this stack: %s", who, group, why),
		})
	}
	for _, r := range m.ResourcesOfType("AWS::IAM::UserToGroupAddition") {
		g := r.Prop("GroupName")
		name, ok := g.Literal()
		if !ok || inStack(g) {
			continue // unresolved names stay silent
		}
		var users []string
		for _, u := range r.Prop("Users").Elems() {
			users = append(users, m.RefName(u))
		}
		report(g, "user "+strings.Join(users, ", ")+" ("+r.Name()+")", name)
	}
	for _, u := range m.ResourcesOfType("AWS::IAM::User") {
		for _, g := range u.Prop("Groups").Elems() {
			name, ok := g.Literal()
			if !ok || inStack(g) {
				continue
			}
			report(g, "user "+u.Name(), name)
		}
	}
	return nil, nil
}
