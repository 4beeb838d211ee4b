// Package iam006 defines IAM006 (policy-attached-to-user).
package iam006

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `policy is attached directly to an iam user

Permissions attached user by user are hard to review and to take away: two
people doing the same job drift apart, and leavers keep what was granted
to them alone. AWS's IAM guidance is to give people access through groups
(or, better, through federation and roles) and to attach policies to the
group or role, not to the user.

The rule reports every way a template attaches a policy to a user: an
inline Policies entry on AWS::IAM::User, a ManagedPolicyArns entry on it,
an AWS::IAM::Policy or AWS::IAM::ManagedPolicy that lists the user in
Users (what CDK's user.addToPolicy and user.attachInlinePolicy write), and
AWS::IAM::UserPolicy. Each attachment is one finding, on the attachment.
Whether the policy itself is too broad is the business of the
least-privilege rules (IAM011–IAM032).`

// Rule is IAM006.
var Rule = rules.Register(&rules.Rule{
	Slug:     "policy-attached-to-user",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases: []string{"F10", "F11", "F12",
		"HIPAA.Security-IAMUserNoPolicies", "NIST.800.53.R4-IAMUserNoPolicies", "NIST.800.53.R5-IAMUserNoPolicies", "PCI.DSS.321-IAMUserNoPolicies",
		"e4239438-e639-44aa-adb8-866e400e3ade", "0e5872b4-19a0-4165-8b2f-56d9e14b909f", "edc95c10-7366-4f30-9b4b-f995c84eceb5", "5e7acff5-095b-40ac-9073-ac2e4ad8a512",
		"CKV_AWS_40", "AWS-0143", "FG_R00007"},
	CWE:  []string{"CWE-269"},
	Fix:  "Attach the policy to a group and add the user to the group (or move the person to IAM Identity Center and a permission set).",
	Bad:  "user.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('*')] }));",
	Good: "const deployers = new iam.Group(this, 'Deployers'); bucket.grantPut(deployers); deployers.addUser(user);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM006",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.Resources {
		switch r.Type {
		case "AWS::IAM::User":
			for i, p := range r.Prop("Policies").Elems() {
				if isNoValue(p) {
					continue
				}
				name, ok := p.Get("PolicyName").Literal()
				if !ok {
					name = "#" + strconv.Itoa(i+1)
				}
				at := p.Get("PolicyName")
				if at == nil {
					at = p
				}
				rules.Report(pass, rules.Diag{
					At: at, Locator: "Policies[" + name + "]", Evidence: "inline",
					Message: fmt.Sprintf("user %s has inline policy %q attached directly: attach it to a group the user belongs to so entitlements stay reviewable", r.Name(), name),
				})
			}
			for _, a := range r.Prop("ManagedPolicyArns").Elems() {
				if isNoValue(a) {
					continue
				}
				name := managedName(m, a)
				rules.Report(pass, rules.Diag{
					At: a, Locator: "ManagedPolicyArns", Evidence: name,
					Message: fmt.Sprintf("user %s has managed policy %s attached directly: attach it to a group the user belongs to", r.Name(), name),
				})
			}
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
			kind := "policy"
			if r.Type == "AWS::IAM::ManagedPolicy" {
				kind = "managed policy"
			}
			for _, u := range r.Prop("Users").Elems() {
				if isNoValue(u) {
					continue
				}
				user := m.RefName(u)
				rules.Report(pass, rules.Diag{
					At: u, Locator: "Users", Evidence: user,
					Message: fmt.Sprintf("%s %s is attached directly to user %s: attach it to a group the user belongs to", kind, r.Name(), user),
				})
			}
		case "AWS::IAM::UserPolicy":
			u := r.Prop("UserName")
			if u == nil {
				continue
			}
			user := m.RefName(u)
			rules.Report(pass, rules.Diag{
				At: u, Locator: "UserName", Evidence: user,
				Message: fmt.Sprintf("policy %s is attached directly to user %s: attach it to a group the user belongs to", r.Name(), user),
			})
		}
	}
	return nil, nil
}

// managedName names a managed policy ARN: the in-stack policy's name, the
// policy name of an ARN, or the ARN as rendered.
func managedName(m *stackmodel.Model, n *cfn.Node) string {
	if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
		id, _ := arg.Literal()
		if r := m.Resource(id); r != nil {
			return r.Name()
		}
	}
	t := cfn.SymString(n)
	if i := strings.Index(t, ":policy/"); i >= 0 && strings.HasPrefix(t, "arn:") {
		return t[i+len(":policy/"):]
	}
	return t
}

func isNoValue(n *cfn.Node) bool {
	if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
		s, _ := arg.Literal()
		return s == "AWS::NoValue"
	}
	return n.Kind == cfn.Null
}
