// Package iam038 defines IAM038 (oidc-trust-missing-or-weak-sub).
package iam038

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `OIDC federation trust does not pin the token subject

A role that trusts an OIDC identity provider (sts:AssumeRoleWithWebIdentity
with a Federated oidc-provider principal) is assumable by every token the
provider issues for the role's audience unless a condition on the
<host>:sub claim names who may assume it. For multi-tenant CI providers
that is everyone on the platform: without a sub condition any GitHub
Actions workflow of any repository (token.actions.githubusercontent.com),
any GitLab.com project (gitlab.com) or any Terraform Cloud organization
(app.terraform.io) can assume the role. AWS's and the providers' guides
require the sub condition and the <host>:aud condition.

Findings, by provider:
- no sub condition: critical for multi-tenant providers (GitHub Actions,
  GitLab.com, Terraform Cloud); high for issuers scoped to one tenant
  (CircleCI org, Bitbucket workspace, EKS cluster for IRSA, GitHub
  Enterprise issuer), where it admits every project, pipeline or service
  account of the tenant. A StringLike sub of "*" is the same thing.
- a sub pattern any outsider can satisfy: high. For GitHub a wildcard in
  the owner ("repo:*/app:*", "repo:acme*") or a leading wildcard
  ("*repo:acme/app*", which a branch or environment of another repository
  can contain); the same for the GitLab group and Terraform Cloud
  organization.
- a sub pattern that admits a whole organization or tenant: medium. GitHub
  "repo:acme/*" (every repository, branch, pull request and environment of
  acme), GitLab "project_path:group/*", Terraform Cloud
  "organization:acme:*", CircleCI "org/<id>/project/*", EKS
  "system:serviceaccount:<ns>:*" or a wildcard namespace. A pattern fixed
  to one repository with wildcard refs ("repo:acme/app:*") is accepted.
- no aud condition: medium. For Amazon Cognito identity pools
  (cognito-identity.amazonaws.com) the aud condition is the identity pool
  id and the only thing binding the role to your pool: high. Cognito's amr
  claim (unauthenticated identities) is IAM041's business.

The provider is recognized from the principal ARN (…:oidc-provider/<host>),
a Ref or Fn::GetAtt to an in-stack AWS::IAM::OIDCProvider or CDK
OpenIdConnectProvider (Custom::AWSCDKOpenIdConnectProvider) whose Url names
the host, or, when the principal cannot be resolved, the host the condition
keys name. Condition keys match case-insensitively. StringEquals compares
literally ("repo:acme/*" with StringEquals matches no token and is not
reported); only StringLike patterns are read as wildcards. Unresolvable
values and conditions built at deploy time (CDK CfnJson) are taken as
valid. Other OIDC providers are reported (medium) only when no condition
tests any of their claims.`

// Rule is IAM038.
var Rule = rules.Register(&rules.Rule{
	Slug:     "oidc-trust-missing-or-weak-sub",
	Severity: rules.Critical,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_358"},
	CWE:      []string{"CWE-284", "CWE-863"},
	Fix:      "Pin the subject: StringEquals { '<host>:sub': 'repo:acme/app:ref:refs/heads/main' } (or StringLike 'repo:acme/app:*'), and require '<host>:aud' = 'sts.amazonaws.com'.",
	Bad:      "new iam.Role(this, 'Deploy', { assumedBy: new iam.OpenIdConnectPrincipal(github, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }) });",
	Good:     "new iam.Role(this, 'Deploy', { assumedBy: new iam.OpenIdConnectPrincipal(github, { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/web-app:ref:refs/heads/main' } }) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM038",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// ProviderKind is a known OIDC provider family.
type ProviderKind int

// OIDC provider families.
const (
	Generic ProviderKind = iota
	GitHub
	GitLab
	Terraform
	CircleCI
	Bitbucket
	EKS
	Cognito
)

// Provider is the OIDC identity provider a trust statement names.
type Provider struct {
	Host string // lower-case, no scheme, no trailing slash
	Kind ProviderKind
	// Tenant is true when the issuer itself is scoped to one customer
	// (an org, workspace, cluster or enterprise).
	Tenant bool
	// Name names the provider in messages ("GitHub Actions").
	Name string
	// everyone says who a missing sub condition admits.
	everyone string
}

// ClassifyProvider recognizes the provider family of an OIDC issuer host
// (as ResolveProvider returns it).
func ClassifyProvider(host string) Provider {
	p := Provider{Host: host, Name: "OIDC provider " + host}
	switch {
	case host == "token.actions.githubusercontent.com":
		p.Kind, p.Name = GitHub, "GitHub Actions"
		p.everyone = "any GitHub Actions workflow in any repository can assume it"
	case strings.HasPrefix(host, "token.actions.githubusercontent.com/"):
		p.Kind, p.Tenant, p.Name = GitHub, true, "GitHub Actions (enterprise issuer)"
		p.everyone = "any workflow of any repository of the enterprise can assume it"
	case host == "gitlab.com":
		p.Kind, p.Name = GitLab, "GitLab.com"
		p.everyone = "any GitLab CI job of any project on gitlab.com can assume it"
	case host == "app.terraform.io":
		p.Kind, p.Name = Terraform, "Terraform Cloud"
		p.everyone = "any run of any Terraform Cloud organization can assume it"
	case strings.HasPrefix(host, "oidc.circleci.com/org/"):
		p.Kind, p.Tenant, p.Name = CircleCI, true, "CircleCI"
		p.everyone = "any job of any project in the CircleCI organization can assume it"
	case strings.HasPrefix(host, "api.bitbucket.org/2.0/workspaces/"):
		p.Kind, p.Tenant, p.Name = Bitbucket, true, "Bitbucket Pipelines"
		p.everyone = "any pipeline step of any repository in the Bitbucket workspace can assume it"
	case strings.HasPrefix(host, "oidc.eks.") && strings.Contains(host, ".amazonaws.com/id/"):
		p.Kind, p.Tenant, p.Name = EKS, true, "EKS cluster OIDC (IRSA)"
		p.everyone = "any pod running under any service account in any namespace of the cluster can assume it"
	case host == "cognito-identity.amazonaws.com":
		p.Kind, p.Name = Cognito, "Amazon Cognito identity pools"
	}
	return p
}

func normalizeHost(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "https://")
	s = strings.TrimPrefix(s, "http://")
	return strings.TrimSuffix(s, "/")
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Trust) {
		if !st.Allow() || st.NotPrincipal || st.NotAction || !st.HasAction("sts:AssumeRoleWithWebIdentity") {
			continue
		}
		if trust.OpaqueConditionValues(st) {
			continue // built at deploy time (CfnJson, Fn::If): cannot be judged
		}
		for _, p := range st.Principals {
			if p.Type != "Federated" {
				continue
			}
			host, r, ok := ResolveProvider(m, st, p.Value)
			if !ok {
				continue
			}
			var related []rules.Related
			if r != nil {
				related = []rules.Related{{At: r.Prop("Url"), Message: "OIDC provider " + r.Name()}}
			}
			check(pass, m, st, p.Value, ClassifyProvider(host), related)
		}
	}
	return nil, nil
}

// ResolveProvider finds the host of the OIDC provider a Federated
// principal names: the host in an …:oidc-provider/<host> ARN, the Url of an
// in-stack provider the value refers to (r is that provider, nil
// otherwise), a bare web identity host, or, when none of those is known,
// the one host the statement's condition keys name. ok is false for SAML
// providers and when no host is known.
func ResolveProvider(m *stackmodel.Model, st *iampolicy.Statement, v iampolicy.Value) (host string, r *stackmodel.Resource, ok bool) {
	_, h, isOIDC := strings.Cut(v.Text, ":oidc-provider/")
	switch {
	case isOIDC && h != "" && !strings.Contains(h, "${"):
		return normalizeHost(h), nil, true
	case isOIDC:
		// The host is built from an intrinsic (an EKS cluster's issuer).
	case strings.Contains(v.Text, ":saml-provider/"):
		return "", nil, false
	default:
		if refs := cfn.Refs(v.Node); len(refs) > 0 {
			r := m.Resource(refs[0])
			if r != nil && r.Type == "AWS::IAM::SAMLProvider" {
				return "", nil, false
			}
			if r != nil && (r.Type == "AWS::IAM::OIDCProvider" || strings.HasPrefix(r.Type, "Custom::") && r.Prop("Url") != nil) {
				url := r.Prop("Url")
				if u, known := cfn.Sym(url); known && u != "" {
					return normalizeHost(u), r, true
				}
			}
		} else if v.Known && !strings.Contains(v.Text, ":") {
			return normalizeHost(v.Text), nil, true // cognito-identity.amazonaws.com, accounts.google.com, …
		}
	}
	// Unresolvable provider: the condition keys name it.
	hosts := map[string]bool{}
	for _, c := range st.Conditions {
		i := strings.LastIndexByte(c.Key, ':')
		if i <= 0 {
			continue
		}
		prefix, claim := c.Key[:i], strings.ToLower(c.Key[i+1:])
		if !strings.Contains(prefix, ".") {
			continue // aws:…, sts:…, SAML:…
		}
		switch claim {
		case "sub", "aud", "amr", "azp", "oaud":
			hosts[normalizeHost(prefix)] = true
		}
	}
	if len(hosts) == 1 {
		for h := range hosts {
			return h, nil, true
		}
	}
	return "", nil, false
}

// Positive returns the conditions on key with a positive string operator
// (StringEquals, StringEqualsIgnoreCase, StringLike, in any set form) and
// at least one value.
func Positive(st *iampolicy.Statement, key string) []iampolicy.Condition {
	var out []iampolicy.Condition
	for _, c := range st.Condition(key) {
		switch c.Base {
		case "StringEquals", "StringEqualsIgnoreCase", "StringLike":
			if len(c.Values) > 0 {
				out = append(out, c)
			}
		}
	}
	return out
}

// grade is the judgement of one sub value.
type grade struct {
	sev rules.Severity // 0: acceptable
	why string
	at  *cfn.Node
	val string
}

func check(pass *analysis.Pass, m *stackmodel.Model, st *iampolicy.Statement, principal iampolicy.Value, p Provider, related []rules.Related) {
	subKey, audKey := p.Host+":sub", p.Host+":aud"
	audOK := restricts(Positive(st, audKey))

	if p.Kind == Generic {
		for _, c := range st.Conditions {
			if strings.HasPrefix(strings.ToLower(c.Key), p.Host+":") {
				return
			}
		}
		rules.Report(pass, rules.Diag{
			At: principal.At, Severity: rules.Medium, Statement: st, Evidence: "no claim condition " + p.Host, Related: related,
			Message: fmt.Sprintf("%s trusts %s with no condition on its token claims (%s, %s): any identity the provider issues a token to can assume the role",
				m.Where(st), p.Name, subKey, audKey),
		})
		return
	}
	if p.Kind == Cognito {
		if !audOK {
			rules.Report(pass, rules.Diag{
				At: principal.At, Severity: rules.High, Statement: st, Evidence: "missing aud " + p.Host, Related: related,
				Message: fmt.Sprintf("%s trusts %s without a %q condition naming your identity pool: identities of any identity pool, in any account, can assume the role",
					m.Where(st), p.Name, audKey),
			})
		}
		return
	}

	subs := Positive(st, subKey)
	if len(subs) == 0 {
		sev := rules.Critical
		if p.Tenant {
			sev = rules.High
		}
		aud := ""
		if !audOK {
			aud = fmt.Sprintf(" (and no %q condition)", audKey)
		}
		rules.Report(pass, rules.Diag{
			At: principal.At, Severity: sev, Statement: st, Evidence: "missing sub " + p.Host, Related: related,
			Message: fmt.Sprintf("%s trusts %s (%s) without a %q condition%s: %s",
				m.Where(st), p.Name, p.Host, subKey, aud, p.everyone),
		})
		return
	}

	// Conditions are ANDed (the most restrictive decides); the values of
	// one condition are ORed (the most permissive decides).
	var best *grade
	for _, c := range subs {
		worst := &grade{}
		for _, v := range c.Values {
			g := judge(p, c.Base == "StringLike", v)
			if g.sev > worst.sev {
				worst = &g
			}
		}
		if best == nil || worst.sev < best.sev {
			best = worst
		}
	}
	if best.sev > 0 {
		rules.Report(pass, rules.Diag{
			At: best.at, Severity: best.sev, Statement: st, Evidence: "sub " + best.val, Related: related,
			Message: fmt.Sprintf("%s trusts %s with %q StringLike %q, which %s",
				m.Where(st), p.Name, subKey, best.val, best.why),
		})
	}
	if !audOK {
		rules.Report(pass, rules.Diag{
			At: principal.At, Severity: rules.Medium, Statement: st, Evidence: "missing aud " + p.Host, Related: related,
			Message: fmt.Sprintf("%s trusts %s without a %q condition: the role accepts tokens issued for any of the provider's audiences (require %q)",
				m.Where(st), p.Name, audKey, "sts.amazonaws.com"),
		})
	}
}

// restricts reports whether one of the conditions has no value that is a
// bare StringLike wildcard.
func restricts(cs []iampolicy.Condition) bool {
	for _, c := range cs {
		ok := true
		for _, v := range c.Values {
			if c.Base == "StringLike" && trust.WildcardOnly(v) {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func wild(s string) bool { return strings.ContainsAny(s, "*?") }

// SubReach is what one value of a sub condition admits.
type SubReach int

// What a sub value admits, from narrowest to widest.
const (
	// SubPinned: one repository, project or workspace, a literal
	// (StringEquals) comparison, an unresolvable value, or a subject
	// format that is not judged.
	SubPinned SubReach = iota
	// SubTenantWide: a whole owner, group, organization or tenant (every
	// repository of the owner, every project of the CircleCI org, …).
	SubTenantWide
	// SubOwnerOpen: the owner (GitHub), top-level group (GitLab) or
	// organization (Terraform Cloud) is a wildcard: outsiders match.
	SubOwnerOpen
	// SubLeadingWildcard: the pattern starts with a wildcard: a subject of
	// another repository or project that contains the rest matches it.
	SubLeadingWildcard
	// SubEvery: the pattern is wildcards only: every token matches.
	SubEvery
)

// Sub is the judgement of one sub value of a known provider.
type Sub struct {
	Reach SubReach
	// Owner is the GitHub owner, GitLab group or Terraform Cloud
	// organization a SubTenantWide pattern admits all of.
	Owner string
	// Pattern is the GitHub repository part or the GitLab project path of
	// a SubTenantWide pattern.
	Pattern string
}

// JudgeSub judges one value of a sub condition on provider p; like is true
// for StringLike (other operators compare literally).
func JudgeSub(p Provider, like bool, v iampolicy.Value) Sub {
	if !like || !v.Known {
		return Sub{} // literal comparison or unknown value
	}
	t := v.Text
	if trust.WildcardOnly(v) {
		return Sub{Reach: SubEvery}
	}
	if wild(t[:1]) {
		return Sub{Reach: SubLeadingWildcard}
	}
	lower := strings.ToLower(t)
	switch p.Kind {
	case GitHub:
		if !strings.HasPrefix(lower, "repo:") {
			return Sub{} // customized subject template: not judged
		}
		owner, rest, slash := strings.Cut(t[len("repo:"):], "/")
		if !slash || wild(owner) {
			return Sub{Reach: SubOwnerOpen}
		}
		if repo, _, _ := strings.Cut(rest, ":"); wild(repo) {
			return Sub{Reach: SubTenantWide, Owner: owner, Pattern: repo}
		}
	case GitLab:
		if !strings.HasPrefix(lower, "project_path:") {
			return Sub{}
		}
		path, _, _ := strings.Cut(t[len("project_path:"):], ":")
		group, _, slash := strings.Cut(path, "/")
		if !slash || wild(group) {
			return Sub{Reach: SubOwnerOpen}
		}
		if wild(path) {
			return Sub{Reach: SubTenantWide, Owner: group, Pattern: path}
		}
	case Terraform:
		if !strings.HasPrefix(lower, "organization:") {
			return Sub{}
		}
		org, rest, _ := strings.Cut(t[len("organization:"):], ":")
		if wild(org) {
			return Sub{Reach: SubOwnerOpen}
		}
		if ws, found := segment(rest, "workspace"); !found || wild(ws) {
			return Sub{Reach: SubTenantWide, Owner: org}
		}
	case CircleCI:
		if proj, found := segment(strings.ReplaceAll(t, "/", ":"), "project"); !found || wild(proj) {
			return Sub{Reach: SubTenantWide}
		}
	case Bitbucket:
		if repo, _, _ := strings.Cut(t, ":"); wild(repo) {
			return Sub{Reach: SubTenantWide}
		}
	case EKS:
		if !strings.HasPrefix(lower, "system:serviceaccount:") {
			return Sub{}
		}
		if ns, sa, _ := strings.Cut(t[len("system:serviceaccount:"):], ":"); wild(ns) || wild(sa) || sa == "" {
			return Sub{Reach: SubTenantWide}
		}
	}
	return Sub{}
}

// judge grades one sub value of a known provider.
func judge(p Provider, like bool, v iampolicy.Value) grade {
	g := grade{at: v.At, val: v.Text}
	outsider := rules.High
	if p.Tenant {
		outsider = rules.Medium
	}
	switch sub := JudgeSub(p, like, v); sub.Reach {
	case SubEvery:
		g.sev = rules.Critical
		if p.Tenant {
			g.sev = rules.High
		}
		g.why = "matches every token the provider issues: " + p.everyone
	case SubLeadingWildcard:
		g.sev = outsider
		g.why = "starts with a wildcard: a subject of another repository or project that contains the rest of the pattern (in a branch, environment or path) matches it"
	case SubOwnerOpen:
		g.sev = outsider
		switch p.Kind {
		case GitHub:
			g.why = "leaves the repository owner open: a repository of another owner can match it"
		case GitLab:
			g.why = "leaves the top-level group open: a project of another group can match it"
		case Terraform:
			g.why = "leaves the Terraform Cloud organization open: a workspace of another organization can match it"
		}
	case SubTenantWide:
		g.sev = rules.Medium
		switch p.Kind {
		case GitHub:
			which := fmt.Sprintf("every repository of %s", sub.Owner)
			if strings.Trim(sub.Pattern, "*?") != "" {
				which = fmt.Sprintf("every repository of %s whose name matches %q", sub.Owner, sub.Pattern)
			}
			g.why = "admits " + which + ", with any branch, pull request or environment: pin the repository (and the branch or environment)"
		case GitLab:
			g.why = fmt.Sprintf("admits every project of group %s matching %q: pin the project path and ref", sub.Owner, sub.Pattern)
		case Terraform:
			g.why = fmt.Sprintf("admits every workspace of organization %s: pin the project and workspace", sub.Owner)
		case CircleCI:
			g.why = "admits every project of the CircleCI organization: pin the project id"
		case Bitbucket:
			g.why = "admits every repository of the Bitbucket workspace: pin the repository UUID"
		case EKS:
			g.why = "admits several service accounts (wildcard namespace or name): pin system:serviceaccount:<namespace>:<name>"
		}
	}
	return g
}

// segment returns the value following name in a colon-separated claim
// list ("project:p:workspace:w" → "w" for "workspace").
func segment(s, name string) (string, bool) {
	parts := strings.Split(s, ":")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], name) {
			return parts[i+1], true
		}
	}
	return "", false
}
