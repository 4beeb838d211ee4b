// Package iam055 defines IAM055 (permission-set-admin-managed-policy).
package iam055

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `permission set attaches an administrator managed policy

An IAM Identity Center permission set (AWS::SSO::PermissionSet) becomes an
IAM role in every account it is assigned to. With the AWS managed policy
AdministratorAccess attached (or PowerUserAccess, IAMFullAccess,
AWSOrganizationsFullAccess, which are a step away from it), every user
and group assigned to the set is an administrator of each of those
accounts. AWS's IAM Identity Center guidance asks for permission sets
built on least privilege (job-function policies or customer managed
policies) and for administrator sets kept for a small break-glass group;
AWS managed policies also change when AWS adds actions.

The ARN is read in every form CDK writes: a literal, Fn::Join or Fn::Sub
with AWS::Partition, any partition, with or without a policy path. Only
ManagedPolicies of permission sets are read here; managed policies of
roles, users and groups are IAM018's.`

// Rule is IAM055.
var Rule = rules.Register(&rules.Rule{
	Slug:     "permission-set-admin-managed-policy",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_274"},
	CWE:      []string{"CWE-269", "CWE-250"},
	Fix:      "Attach job-function or customer managed policies scoped to the work (customerManagedPolicyReferences), and keep an AdministratorAccess set only for a break-glass group.",
	Bad:      "new sso.CfnPermissionSet(this, 'Dev', { instanceArn, name: 'Developers', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] });",
	Good:     "new sso.CfnPermissionSet(this, 'Dev', { instanceArn, name: 'Developers', managedPolicies: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'], customerManagedPolicyReferences: [{ name: 'deploy-app' }] });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM055",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// admins are the AWS managed policies that make a set administrator, or
// one step away from it.
var admins = map[string]string{
	"AdministratorAccess":        "full administrator access",
	"PowerUserAccess":            "every action outside IAM and Organizations",
	"IAMFullAccess":              "IAM control, enough to grant itself anything",
	"AWSOrganizationsFullAccess": "control of the organization and its accounts",
}

// adminPolicy returns the name (path included) and what it grants when an
// ARN names an AWS managed policy of admins; "" otherwise or when the name
// is unresolved.
func adminPolicy(n *cfn.Node) (name, what string) {
	const marker = ":iam::aws:policy/"
	t, _ := cfn.Sym(n)
	i := strings.Index(t, marker)
	if i < 0 || !strings.HasPrefix(t, "arn:") {
		return "", ""
	}
	name = t[i+len(marker):]
	if name == "" || strings.Contains(name, "${") || strings.ContainsAny(name, "*?") {
		return "", ""
	}
	what = admins[name[strings.LastIndex(name, "/")+1:]]
	if what == "" {
		return "", ""
	}
	return name, what
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.ResourcesOfType("AWS::SSO::PermissionSet") {
		who := "permission set " + r.Name()
		if n, ok := r.Prop("Name").Literal(); ok && n != r.Name() {
			who += " (" + n + ")"
		}
		for _, e := range r.Prop("ManagedPolicies").Elems() {
			name, what := adminPolicy(e)
			if name == "" {
				continue
			}
			rules.Report(pass, rules.Diag{
				At:       e,
				Locator:  "ManagedPolicies",
				Evidence: name,
				Message: fmt.Sprintf("%s attaches AWS managed policy %s: %s in every account the set is assigned to",
					who, name, what),
			})
		}
	}
	return nil, nil
}
