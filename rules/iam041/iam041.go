// Package iam041 defines IAM041 (cognito-unauthenticated-role).
package iam041

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `cognito guest role grants more than minimal access

An identity pool that allows unauthenticated identities hands the
credentials of its unauthenticated role to anyone who knows the pool id,
and the pool id ships inside the web or mobile app. Whatever that role may
do, the whole internet may do. AWS's Cognito documentation asks to give the
unauthenticated role only the few actions guests need, on the resources
they need, and AWS's IAM best practices ask for least privilege.

The rule finds guest roles two ways: the unauthenticated entry of an
AWS::Cognito::IdentityPoolRoleAttachment, and a role whose trust policy
lets cognito-identity.amazonaws.com identities with amr "unauthenticated"
assume it. It then reads the role's policies (inline, attached, and AWS
managed ARNs) and reports each allowed action by what it grants, using
the AWS service authorization reference: permission management, "*" or
NotAction is high; write or tagging on every resource, or any AWS managed
policy, is medium; write on named resources (a per-identity S3 prefix) and
read on every resource are low; read on named resources is not reported.`

// Rule is IAM041.
var Rule = rules.Register(&rules.Rule{
	Slug:     "cognito-unauthenticated-role",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"AwsSolutions-COG7", "W57"},
	CWE:      []string{"CWE-306", "CWE-732"},
	Fix:      "Give the unauthenticated role only the read actions guests need on named resources (or disable unauthenticated identities); grant writes to the authenticated role, scoped with ${cognito-identity.amazonaws.com:sub}.",
	Bad:      "unauthRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 'dynamodb:*'], resources: ['*'] }));",
	Good:     "unauthRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [publicAssets.arnForObjects('public/*')] }));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM041",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

const amrKey = "cognito-identity.amazonaws.com:amr"

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	why := map[string]string{}
	var order []string
	mark := func(id, reason string) {
		if p := m.Principal(id); p == nil || p.Kind != stackmodel.Role {
			return
		}
		if _, ok := why[id]; !ok {
			order = append(order, id)
			why[id] = reason
		}
	}
	for _, a := range m.ResourcesOfType("AWS::Cognito::IdentityPoolRoleAttachment") {
		if id := roleID(a.Prop("Roles", "unauthenticated")); id != "" {
			pool := "an identity pool"
			if pid := refID(a.Prop("IdentityPoolId")); pid != "" {
				if r := m.Resource(pid); r != nil {
					pool = "identity pool " + r.Name()
				}
			}
			mark(id, "the unauthenticated (guest) role of "+pool)
		}
	}
	for _, p := range m.Principals {
		if p.Kind == stackmodel.Role && p.Trust != nil && guestTrust(p.Trust) {
			mark(p.Resource.LogicalID, "assumable by unauthenticated (guest) Cognito identities")
		}
	}
	for _, id := range order {
		check(pass, m, m.Principal(id), why[id])
	}
	return nil, nil
}

// guestTrust reports whether a trust policy lets unauthenticated Cognito
// identities assume the role.
func guestTrust(d *iampolicy.Document) bool {
	for _, st := range d.Statements {
		if !st.Allow() || st.NotPrincipal {
			continue
		}
		cognito := false
		for _, pr := range st.Principals {
			cognito = cognito || (pr.Type == "Federated" && strings.EqualFold(pr.Value.Text, "cognito-identity.amazonaws.com"))
		}
		if !cognito {
			continue
		}
		for _, c := range st.Conditions {
			if !strings.EqualFold(c.Key, amrKey) || strings.HasPrefix(c.Base, "StringNot") {
				continue
			}
			for _, v := range c.Values {
				if v.Known && strings.EqualFold(v.Text, "unauthenticated") {
					return true
				}
			}
		}
	}
	return false
}

func check(pass *analysis.Pass, m *stackmodel.Model, p *stackmodel.Principal, why string) {
	who := fmt.Sprintf("role %s is %s, so anyone with the pool id can act as it", p.Resource.Name(), why)
	for _, d := range m.EffectivePolicies(p) {
		for _, st := range d.Statements {
			if !st.Allow() {
				continue
			}
			res := resources(st)
			if st.NotAction {
				if len(st.Actions) > 0 {
					rules.Report(pass, rules.Diag{
						At: st.ActionAt, Statement: st, Severity: rules.High, Evidence: "NotAction",
						Message: fmt.Sprintf("%s: %s allows every action except %s on %s", who, m.Where(st), rules.List(rules.Quoted(st.Actions), 3), res),
					})
				}
				continue
			}
			star := st.AllResources()
			for _, a := range st.Actions {
				sev, what := grade(a, star)
				if sev == 0 {
					continue
				}
				rules.Report(pass, rules.Diag{
					At: a.At, Statement: st, Severity: sev, Evidence: a.Text,
					Message: fmt.Sprintf("%s: %s allows %s (%s) on %s", who, m.Where(st), a.Text, what, res),
				})
			}
		}
	}
	for _, v := range p.ManagedPolicyArns {
		const marker = ":iam::aws:policy/"
		i := strings.Index(v.Text, marker)
		if i < 0 || strings.Contains(v.Text[i:], "${") {
			continue
		}
		name := v.Text[i+len(marker):]
		sev := rules.Medium
		if strings.Contains(name, "FullAccess") || strings.Contains(name, "AdministratorAccess") || strings.Contains(name, "PowerUserAccess") {
			sev = rules.High
		}
		rules.Report(pass, rules.Diag{
			At: v.At, Severity: sev, Locator: "ManagedPolicyArns", Evidence: name,
			Message: fmt.Sprintf("%s: AWS managed policy %s grants its actions on every resource", who, name),
		})
	}
}

// grade returns the severity of allowing action a to guests (0: not
// reported) and the access it grants.
func grade(a iampolicy.Value, star bool) (rules.Severity, string) {
	if !a.Known {
		return 0, ""
	}
	if wildcard.IsFull(a) {
		return rules.High, "every action"
	}
	acts := iamdata.Expand(a.Text)
	if len(acts) == 0 {
		return 0, "" // unknown action: IAM058's business
	}
	level := iamdata.List
	rank := map[iamdata.AccessLevel]int{iamdata.List: 0, iamdata.Read: 1, iamdata.Tagging: 2, iamdata.Write: 3, iamdata.PermissionsManagement: 4}
	for _, x := range acts {
		if rank[x.Access] > rank[level] {
			level = x.Access
		}
	}
	what := strings.ToLower(string(level))
	if len(acts) > 1 || strings.ContainsAny(a.Text, "*?") {
		what = "up to " + what
	}
	switch level {
	case iamdata.PermissionsManagement:
		return rules.High, what
	case iamdata.Write, iamdata.Tagging:
		if star {
			return rules.Medium, what
		}
		return rules.Low, what
	}
	if star {
		return rules.Low, what
	}
	return 0, ""
}

func resources(st *iampolicy.Statement) string {
	if st.NotResource {
		return "every resource except " + rules.List(rules.Quoted(st.Resources), 3)
	}
	if len(st.Resources) == 0 {
		return "no resource"
	}
	return rules.List(rules.Quoted(st.Resources), 3)
}

// roleID returns the logical ID a role ARN value names (Fn::GetAtt X.Arn
// or Ref X), or "".
func roleID(n *cfn.Node) string {
	name, arg, ok := n.Intrinsic()
	if !ok {
		return ""
	}
	switch name {
	case "Ref":
		s, _ := arg.Literal()
		return s
	case "Fn::GetAtt":
		if arg.Kind == cfn.Array && len(arg.Vals) == 2 {
			s, _ := arg.Vals[0].Literal()
			return s
		}
		if s, ok := arg.Literal(); ok {
			id, _, _ := strings.Cut(s, ".")
			return id
		}
	}
	return ""
}

func refID(n *cfn.Node) string {
	if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
		s, _ := arg.Literal()
		return s
	}
	return ""
}
