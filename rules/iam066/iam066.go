// Package iam066 defines IAM066 (exposed-privileged-principal).
//
// The analysis behind it (who can become each role, what each principal
// can do) is in package exposure, which internal/graph draws.
package iam066

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/iam066/exposure"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `privileged role can be assumed by outsiders

A role that outsiders can assume and that holds privileged rights is an
attack path in one place: whoever the trust policy lets in gets those
rights. AWS's IAM best practices ask to verify public and cross-account
access, to pin federated identities and to grant least privilege; this rule
reports where both fail on the same role, with the trust principal as the
location and the granting policy as a related location.

Outsiders are: the public (Principal "*" with no condition pinning the
caller's organization, account or ARN, as IAM033 judges it); any repository
or project of a multi-tenant CI provider (GitHub Actions, GitLab.com,
Terraform Cloud) when the web identity trust has no <host>:sub condition or
a sub pattern anyone can satisfy (IAM038); a third-party account (another
account than the stack's, not one the same cloud assembly deploys to)
trusted without sts:ExternalId, aws:PrincipalOrgID or aws:PrincipalArn
(IAM036); unauthenticated Amazon Cognito identities
(cognito-identity.amazonaws.com:amr matching "unauthenticated"). These are
critical. Narrower groups are high: every repository of one GitHub
organization ("repo:acme/*"), every project of a tenant-scoped OIDC issuer
(EKS cluster, CircleCI organization, Bitbucket workspace, GitHub Enterprise)
without a sub condition, a generic OIDC provider with no claim condition,
the public restricted only by network origin. A role whose trust policy
names an in-stack role or user by ARN is reached through it.

Privileged rights are: administrator access ("*" on every resource, Allow
with NotAction on every resource, AdministratorAccess, PowerUserAccess);
privilege escalation (iam:*, the escalation methods IAM025 knows:
iam:PutRolePolicy, iam:AttachRolePolicy, iam:CreatePolicyVersion,
iam:UpdateAssumeRolePolicy, iam:CreateAccessKey…, iam:PassRole with a
compute service the role can create); permissions management (an action of
access level "Permissions management" in the AWS service reference, such
as s3:PutBucketPolicy, kms:PutKeyPolicy or lambda:AddPermission, on every
resource). AWS managed policies are read from their published statements
(AmazonS3FullAccess grants s3:*, which includes s3:PutBucketPolicy).
Statements that require MFA do not count for web identity sessions, which
never carry MFA. Unconditional Deny statements are subtracted; policies
iamvet cannot read (customer managed policies defined elsewhere, AWS
managed policies it does not know) and unresolvable values are not
counted as privileged. A role that outsiders can assume but that only
reads is left to IAM033, IAM036 and IAM038.`

// Rule is IAM066.
var Rule = rules.Register(&rules.Rule{
	Slug:     "exposed-privileged-principal",
	Severity: rules.Critical,
	Since:    "v0.1.0",
	CWE:      []string{"CWE-269", "CWE-284"},
	Fix:      "Close the door or empty the room: pin who may assume the role (a sub condition naming the repository and branch, sts:ExternalId for a vendor, aws:PrincipalOrgID for your organization), and grant the role only the actions it calls on the resources it uses.",
	Bad:      "const role = new iam.Role(this, 'Deploy', { assumedBy: new iam.WebIdentityPrincipal(github.openIdConnectProviderArn, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }) }); role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));",
	Good:     "const role = new iam.Role(this, 'Deploy', { assumedBy: new iam.WebIdentityPrincipal(github.openIdConnectProviderArn, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/web-app:ref:refs/heads/main' } }) }); bucket.grantPut(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM066",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	a := exposure.Analyze(m)
	for _, p := range m.Principals {
		if p.Kind != stackmodel.Role {
			continue
		}
		paths := a.Paths(p)
		for i, path := range paths {
			caps := a.Capabilities(p, path.Session())
			if !caps.Level.Privileged() {
				continue
			}
			report(pass, p, path, caps, paths[:i], paths[i+1:])
			break
		}
	}
	return nil, nil
}

func report(pass *analysis.Pass, p *stackmodel.Principal, path exposure.Path, caps exposure.Capabilities, before, after []exposure.Path) {
	first, src := path.Hops[0], path.Source()
	g := caps.Top()
	sev := rules.Critical
	if path.Exposure < exposure.Open {
		sev = rules.High
	}
	who := fmt.Sprintf("%s (%s)", src.Who, src.Why)
	if len(path.Hops) > 1 {
		var via []string
		for _, h := range path.Hops[:len(path.Hops)-1] {
			via = append(via, h.Label)
		}
		who += " through " + strings.Join(via, " and then ")
	}
	msg := fmt.Sprintf("%s %s can be assumed by %s and holds %s: %s",
		p.Kind, p.Resource.Name(), who, holds(g), consequence(g.Level, path.Exposure))

	var related []rules.Related
	related = append(related, rules.Related{At: g.At, Message: grantNote(g)})
	for _, pt := range g.Parts {
		if pt.At == g.At {
			continue // the same AWS managed policy
		}
		related = append(related, rules.Related{At: pt.At, Message: pt.Policy + " grants " + pt.Action})
	}
	for i, h := range path.Hops[1:] {
		related = append(related, rules.Related{At: h.At, Message: fmt.Sprintf("%s trust policy: %s", path.Hops[i].Label, hopNote(h))})
	}
	if src.Provider != nil {
		related = append(related, rules.Related{At: src.Provider, Message: src.ProviderName})
	}
	for _, o := range append(append([]exposure.Path(nil), before...), after...) {
		if h := o.Hops[0]; h.At != first.At {
			related = append(related, rules.Related{At: h.At, Message: "also assumable by " + o.Source().Who})
		}
	}
	related = dedupe(related)
	ev := "exposed " + src.Key
	for _, h := range path.Hops[:len(path.Hops)-1] {
		ev += " via " + h.Key
	}
	rules.Report(pass, rules.Diag{
		At:        first.At,
		Severity:  sev,
		Statement: first.Statement,
		Evidence:  ev,
		Related:   related,
		Message:   msg,
	})
}

func hopNote(h exposure.Truster) string {
	if h.Who != "" {
		return h.Who + " can assume it"
	}
	return h.Label + " can assume it"
}

// holds names the grant: "AdministratorAccess", "AWS managed policy
// AmazonS3FullAccess (s3:* on every resource, which includes …)",
// `"*" on every resource in role App inline policy "p" statement #1`.
func holds(g *exposure.Grant) string {
	switch {
	case g.Managed == "AdministratorAccess":
		return "AdministratorAccess"
	case g.Managed != "":
		return fmt.Sprintf("%s (%s)", g.Managed, g.What)
	}
	return g.What + " in " + g.Policy
}

func grantNote(g *exposure.Grant) string {
	if g.Managed != "" {
		return fmt.Sprintf("AWS managed policy %s attached: %s", g.Managed, g.What)
	}
	return g.Policy + " grants " + g.What
}

func consequence(l exposure.Level, e exposure.Exposure) string {
	whoever := "anyone who can assume it"
	if e < exposure.Open {
		whoever = "each of them"
	}
	switch l {
	case exposure.Admin:
		return whoever + " gets administrator access to the account"
	case exposure.PrivilegeEscalation:
		return whoever + " can make itself administrator of the account"
	}
	return whoever + " can change who may access the account's resources, and open them to anyone"
}

func dedupe(rs []rules.Related) []rules.Related {
	out := rs[:0]
	seen := map[string]bool{}
	for _, r := range rs {
		if r.At == nil {
			continue
		}
		k := fmt.Sprintf("%d:%d:%s", r.At.Start, r.At.End, r.Message)
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}
