// Package iam009 defines IAM009 (root-access-key).
package iam009

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `stack creates or allows access keys for the root user

The root user has unrestricted access to the account and cannot be limited
by IAM policies. AWS's IAM best practices say it must never have access
keys: use it only for the few tasks that require it, protected by MFA.

Two static signs are reported: an AWS::IAM::AccessKey whose UserName is
"root", and an Allow statement granting iam:CreateAccessKey on the root
user's ARN (arn:aws:iam::<account>:root). Only the exact name "root" and the
exact root ARN count: a user named "chroot-bot" is not the root user.`

// Rule is IAM009.
var Rule = rules.Register(&rules.Rule{
	Slug:     "root-access-key",
	Severity: rules.Critical,
	Since:    "v0.1.0",
	Aliases:  []string{"4c137350-7307-4803-8c04-17c09a7a9fcf", "CKV_AWS_348", "AWS-0141"},
	CWE:      []string{"CWE-250", "CWE-798"},
	Fix:      "Delete the root access key resource or grant; give the workload a role (or an IAM Identity Center user for people) with the permissions it needs.",
	Bad:      "new iam.CfnAccessKey(this, 'RootKey', { userName: 'root' });",
	Good:     "new iam.Role(this, 'DeployRole', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM009",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// rootARN matches the root user's ARN, with the partition and account as
// literals or as ${AWS::Partition}/${AWS::AccountId}-style references (as CDK's
// AccountRootPrincipal renders them).
var rootARN = regexp.MustCompile(`^arn:(aws[a-z-]*|\$\{[A-Za-z0-9:]+\}):iam::(\d{12}|\$\{[A-Za-z0-9:]+\}):root$`)

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, k := range m.ResourcesOfType("AWS::IAM::AccessKey") {
		n := k.Prop("UserName")
		if s, ok := n.Literal(); ok && n.IsString() && strings.EqualFold(s, "root") {
			rules.Report(pass, rules.Diag{
				At:       n,
				Message:  fmt.Sprintf("access key %s is created for UserName %q: the root user must never have access keys; use a role or an IAM Identity Center user", k.Name(), s),
				Locator:  "AccessKey",
				Evidence: "root",
			})
		}
	}
	for _, st := range m.Statements(iampolicy.Identity) {
		if !st.Allow() || st.NotAction || st.NotResource || !st.HasAction("iam:CreateAccessKey") {
			continue
		}
		// Only actions of the iam service: "*" on the root ARN is a
		// wildcard-action finding (IAM011/IAM012), not a root key grant.
		action := ""
		for _, a := range st.Actions {
			if a.Known && iampolicy.ServiceOf(a.Text) == "iam" && iampolicy.MatchWildcard(a.Text, "iam:CreateAccessKey") {
				action = a.Text
				break
			}
		}
		if action == "" {
			continue
		}
		for _, r := range st.Resources {
			if !rootARN.MatchString(r.Text) {
				continue
			}
			rules.Report(pass, rules.Diag{
				At:        r.At,
				Statement: st,
				Evidence:  "iam:CreateAccessKey " + r.Text,
				Message: fmt.Sprintf("%s allows %s on the root user (%s): the root user must never have access keys",
					m.Where(st), quoteAction(action), r.Text),
			})
		}
	}
	return nil, nil
}

func quoteAction(a string) string {
	if strings.EqualFold(a, "iam:CreateAccessKey") {
		return a
	}
	return fmt.Sprintf("%q (iam:CreateAccessKey)", a)
}
