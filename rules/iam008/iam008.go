// Package iam008 defines IAM008 (group-without-users).
package iam008

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `iam group has no users in this stack

A group that nobody belongs to is an entitlement waiting to be used: its
policies are reviewed (or not) by nobody, and adding a user to it later
grants everything it carries. AWS's IAM guidance is to remove unused
users, roles, groups and policies.

The rule reports an AWS::IAM::Group that no user of the stack lists in
Groups and that no AWS::IAM::UserToGroupAddition of the stack names (by Ref
or by GroupName, with in-stack or external users). Users defined in other
stacks or added by hand can still belong to it, hence the low severity.`

// Rule is IAM008.
var Rule = rules.Register(&rules.Rule{
	Slug:     "group-without-users",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Aliases:  []string{"HIPAA.Security-IAMGroupHasUsers", "NIST.800.53.R4-IAMGroupHasUsers", "PCI.DSS.321-IAMGroupHasUsers", "CKV2_AWS_14"},
	CWE:      []string{"CWE-269"},
	Fix:      "Add the users who need the group's permissions (group.addUser(user)), or delete the group if nobody does.",
	Bad:      "new iam.Group(this, 'OpsAdmins', { managedPolicies: [opsPolicy] });",
	Good:     "const ops = new iam.Group(this, 'OpsAdmins', { managedPolicies: [opsPolicy] }); ops.addUser(carol);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM008",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	additions := m.ResourcesOfType("AWS::IAM::UserToGroupAddition")
	for _, p := range m.Principals {
		if p.Kind != stackmodel.Group || len(p.Members) > 0 {
			continue
		}
		g := p.Resource
		added := false
		for _, a := range additions {
			if names(g, a.Prop("GroupName")) && len(a.Prop("Users").Elems()) > 0 {
				added = true
				break
			}
		}
		if added {
			continue
		}
		at := g.Prop("GroupName")
		if at == nil {
			at = g.Node.Get("Type")
		}
		rules.Report(pass, rules.Diag{
			At:       at,
			Locator:  "Members",
			Evidence: "no members",
			Message:  fmt.Sprintf("group %s has no users in this stack (no user lists it, no UserToGroupAddition adds to it): add the users who need it or delete it", g.Name()),
		})
	}
	return nil, nil
}

// names reports whether a GroupName value names group g: a Ref to its
// logical ID or its literal GroupName.
func names(g *stackmodel.Resource, n *cfn.Node) bool {
	if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
		id, _ := arg.Literal()
		return id == g.LogicalID
	}
	if s, ok := n.Literal(); ok {
		gn, ok := g.Prop("GroupName").Literal()
		return ok && gn == s
	}
	return false
}
