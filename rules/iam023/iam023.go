// Package iam023 defines IAM023 (passrole-wildcard-resource).
package iam023

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/privesc"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `iam:PassRole is allowed on every role

iam:PassRole lets a principal hand a role to an AWS service: a function,
an instance, a stack or a pipeline then runs with that role's permissions.
Allowed on every role (Resource "*", NotResource, or
"arn:aws:iam::ACCOUNT:role/*"), it lets the principal hand over any role of
the account, administrator roles included, to anything it can create, which
is the usual first step of privilege escalation (IAM025 reports the
combinations). AWS's documentation on passing roles asks for the specific
roles a principal needs to pass, and IAM Access Analyzer's policy validation
warns about PassRole with a wildcard resource.

Action values that grant iam:PassRole are reported: "iam:PassRole" in any
case, and patterns that cover it ("iam:Pass*", "iam:*"); "*" is
administrator access and IAM011's. Conditions that narrow the roles (role
tags, aws:ResourceAccount) silence the finding; an iam:PassedToService or
iam:AssociatedResourceArn condition limits where the role goes but not which
role, and lowers the finding to medium.`

// Rule is IAM023.
var Rule = rules.Register(&rules.Rule{
	Slug:     "passrole-wildcard-resource",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"F38", "F39", "F40", "PASS_ROLE_WITH_STAR_IN_RESOURCE", "AWS-0342"},
	CWE:      []string{"CWE-269"},
	Fix:      "List the roles the principal passes (role.grantPassRole(principal) in CDK) and add an iam:PassedToService condition.",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: ['*'] }));",
	Good:     "taskRole.grantPassRole(pipelineRole);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM023",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		vals := privesc.PassRoleValues(st)
		if len(vals) == 0 || !privesc.PassRoleUnconstrained(st) {
			continue
		}
		sev, why := rules.High, ""
		if keys := passConditions(st); keys != "" {
			sev, why = rules.Medium, fmt.Sprintf(" (%s limits the receiving service, not the role)", keys)
		}
		for _, v := range vals {
			what := fmt.Sprintf("%q", v.Text)
			if !strings.EqualFold(v.Text, "iam:PassRole") {
				what = fmt.Sprintf("iam:PassRole (%q)", v.Text)
			}
			rules.Report(pass, rules.Diag{
				At: v.At, Statement: st, Evidence: v.Text, Severity: sev,
				Message: fmt.Sprintf("%s allows %s on %s: the holder can hand any role, administrator roles included, to a service it controls%s",
					m.Where(st), what, privesc.OnWhat(st), why),
			})
		}
	}
	return nil, nil
}

// passConditions names the iam:PassedToService / iam:AssociatedResourceArn
// conditions of st ("" if none).
func passConditions(st *iampolicy.Statement) string {
	var ks []string
	for _, c := range st.Conditions {
		for _, k := range privesc.PassKeys {
			if strings.EqualFold(c.Key, k) && !slices.Contains(ks, k) {
				ks = append(ks, k)
			}
		}
	}
	return rules.List(ks, 2)
}
