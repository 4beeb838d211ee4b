// Package iam018 defines IAM018 (aws-managed-admin-or-elevated-policy).
package iam018

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `AWS managed admin or elevated policy is attached

AWS managed policies such as AdministratorAccess, PowerUserAccess,
IAMFullAccess, AWSCloudShellFullAccess and the service *FullAccess policies
grant far more than a workload needs: AdministratorAccess and IAMFullAccess
let the holder do anything in the account (IAM control means granting
oneself anything), PowerUserAccess every action outside IAM and
Organizations. AWS's IAM best practices ask to get started with AWS managed
policies but move toward least-privilege permissions: customer managed
policies that list the actions a principal calls on the resources it uses.

The rule reads the ARN in every form CDK writes (a literal ARN,
Fn::Join or Fn::Sub with AWS::Partition, any partition, any policy path).
Administrator access on a compute workload role (Lambda, ECS task, EC2) is
critical; roles that only MFA-authenticated callers or pinned federated
identities (SAML, OIDC with a subject condition) can assume are reported at
low severity, as intended human administrator access.`

// Rule is IAM018.
var Rule = rules.Register(&rules.Rule{
	Slug:     "aws-managed-admin-or-elevated-policy",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"W43", "W44", "CKV_AWS_274", "CKV_AWS_275", "CKV2_AWS_56", "AwsSolutions-IAM4"},
	CWE:      []string{"CWE-269", "CWE-250"},
	Fix:      "Replace the AWS managed policy with a customer managed policy (or grant* methods) listing the actions the principal calls on the resources it uses.",
	Bad:      "role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));",
	Good:     "bucket.grantReadWrite(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM018",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// level is how elevated an AWS managed policy is.
type level int

const (
	none     level = iota
	elevated       // *FullAccess, AdministratorAccess-<service>
	power          // PowerUserAccess
	iamAdmin       // IAMFullAccess, AWSCloudShellFullAccess, AWSOrganizationsFullAccess
	admin          // AdministratorAccess
)

// classify returns the name (path included) and level of an AWS managed
// policy ARN; none for anything else or an unresolvable name.
func classify(v iampolicy.Value) (string, level) {
	const marker = ":iam::aws:policy/"
	t := v.Text
	i := strings.Index(t, marker)
	if i < 0 || !strings.HasPrefix(t, "arn:") {
		return "", none
	}
	name := t[i+len(marker):]
	if name == "" || strings.Contains(name, "${") || strings.ContainsAny(name, "*?") {
		return "", none
	}
	base := name[strings.LastIndex(name, "/")+1:]
	switch base {
	case "AdministratorAccess":
		return name, admin
	case "IAMFullAccess", "AWSCloudShellFullAccess", "AWSOrganizationsFullAccess":
		return name, iamAdmin
	case "PowerUserAccess":
		return name, power
	}
	if strings.HasSuffix(base, "FullAccess") || strings.HasPrefix(base, "AdministratorAccess-") {
		return name, elevated
	}
	return "", none
}

func describe(l level) string {
	switch l {
	case admin:
		return "full administrator access"
	case iamAdmin:
		return "IAM or account control, an escalation path to administrator"
	case power:
		return "every action outside IAM and Organizations"
	}
	return "every action of a service on every resource"
}

// workloadServices run code that handles outside input: admin there is one
// bug away from account takeover.
var workloadServices = []string{
	"lambda.amazonaws.com", "edgelambda.amazonaws.com", "ecs-tasks.amazonaws.com",
	"ec2.amazonaws.com", "eks.amazonaws.com", "pods.eks.amazonaws.com",
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, p := range m.Principals {
		for _, v := range p.ManagedPolicyArns {
			name, l := classify(v)
			if l == none {
				continue
			}
			sev, why := grade(p, l)
			report(pass, v, name, l, sev, fmt.Sprintf("%s %s", p.Kind, p.Resource.Name()), why, "ManagedPolicyArns")
		}
	}
	// Permission sets (AWS::SSO::PermissionSet ManagedPolicies) are IAM055's.
	return nil, nil
}

func report(pass *analysis.Pass, v iampolicy.Value, name string, l level, sev rules.Severity, who, why, locator string) {
	msg := fmt.Sprintf("%s has AWS managed policy %s attached: %s", who, name, describe(l))
	if why != "" {
		msg += " (" + why + ")"
	}
	rules.Report(pass, rules.Diag{
		At:       v.At,
		Message:  msg,
		Severity: sev,
		Locator:  locator,
		Evidence: name,
	})
}

// grade returns the severity for a principal holding a policy of level l,
// with a note for the message.
func grade(p *stackmodel.Principal, l level) (rules.Severity, string) {
	base := map[level]rules.Severity{admin: rules.High, iamAdmin: rules.High, power: rules.Medium, elevated: rules.Medium}[l]
	if p.Kind != stackmodel.Role || p.Trust == nil {
		return base, ""
	}
	var assume []*iampolicy.Statement
	for _, st := range p.Trust.Statements {
		if st.Allow() {
			assume = append(assume, st)
		}
	}
	if len(assume) == 0 {
		return base, ""
	}
	if l == admin {
		for _, st := range assume {
			for _, pr := range st.Principals {
				if pr.Type == "Service" && pr.Value.Known && contains(workloadServices, pr.Value.Text) {
					return rules.Critical, "a workload role trusted by " + pr.Value.Text
				}
			}
		}
	}
	gated, fed := true, false
	for _, st := range assume {
		switch {
		case trust.RequiresMFA(st):
		case federatedPinned(st):
			fed = true
		default:
			gated = false
		}
	}
	if gated {
		if fed {
			return rules.Low, "assumable only by pinned federated identities"
		}
		return rules.Low, "assumable only with MFA"
	}
	return base, ""
}

// federatedPinned reports whether every principal of st is a federated
// identity provider and a condition pins the federated identity: a SAML:*
// key, an OIDC subject (":sub") or a Cognito identity pool (":aud" on
// cognito-identity.amazonaws.com).
func federatedPinned(st *iampolicy.Statement) bool {
	if len(st.Principals) == 0 || st.NotPrincipal {
		return false
	}
	for _, pr := range st.Principals {
		if pr.Type != "Federated" {
			return false
		}
	}
	for _, c := range st.Conditions {
		k := strings.ToLower(c.Key)
		if !(strings.HasPrefix(k, "saml:") || strings.HasSuffix(k, ":sub") || k == "cognito-identity.amazonaws.com:aud") {
			continue
		}
		if trust.Pins(c, c.Key) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
