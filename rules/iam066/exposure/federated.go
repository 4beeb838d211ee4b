package exposure

import (
	"fmt"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules/internal/trust"
)

// The OIDC judgement follows IAM038 (rules/iam038): the provider is
// recognized from the principal (an oidc-provider ARN, an in-stack
// AWS::IAM::OIDCProvider or CDK OpenIdConnectProvider, a bare host) or from
// the condition keys; a multi-tenant CI provider (GitHub Actions,
// GitLab.com, Terraform Cloud) without a sub condition, or with a sub
// pattern any outsider can satisfy, is Open; an organization-wide sub, a
// tenant-scoped issuer without a sub, or a generic provider without any
// claim condition is Narrow.

type provKind int

const (
	generic provKind = iota
	github
	gitlab
	terraform
	circleci
	bitbucket
	eks
	cognito
)

type provider struct {
	host     string
	kind     provKind
	tenant   bool
	name     string
	everyone string
}

func classifyHost(host string) provider {
	p := provider{host: host, name: "OIDC provider " + host, everyone: "any identity OIDC provider " + host + " issues a token to"}
	switch {
	case host == "token.actions.githubusercontent.com":
		p.kind, p.name = github, "GitHub Actions"
		p.everyone = "any GitHub Actions workflow in any repository"
	case strings.HasPrefix(host, "token.actions.githubusercontent.com/"):
		p.kind, p.tenant, p.name = github, true, "GitHub Actions (enterprise issuer)"
		p.everyone = "any workflow of any repository of the GitHub enterprise"
	case host == "gitlab.com":
		p.kind, p.name = gitlab, "GitLab.com"
		p.everyone = "any GitLab CI job of any project on gitlab.com"
	case host == "app.terraform.io":
		p.kind, p.name = terraform, "Terraform Cloud"
		p.everyone = "any run of any Terraform Cloud organization"
	case strings.HasPrefix(host, "oidc.circleci.com/org/"):
		p.kind, p.tenant, p.name = circleci, true, "CircleCI"
		p.everyone = "any job of any project of the CircleCI organization"
	case strings.HasPrefix(host, "api.bitbucket.org/2.0/workspaces/"):
		p.kind, p.tenant, p.name = bitbucket, true, "Bitbucket Pipelines"
		p.everyone = "any pipeline of any repository of the Bitbucket workspace"
	case strings.HasPrefix(host, "oidc.eks.") && strings.Contains(host, ".amazonaws.com/id/"):
		p.kind, p.tenant, p.name = eks, true, "EKS cluster OIDC (IRSA)"
		p.everyone = "any pod under any service account of the EKS cluster"
	case host == "cognito-identity.amazonaws.com":
		p.kind, p.name = cognito, "Amazon Cognito identity pools"
	}
	return p
}

func normalizeHost(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "https://")
	s = strings.TrimPrefix(s, "http://")
	return strings.TrimSuffix(s, "/")
}

func (a *Analysis) classifyFederated(t Truster, st *iampolicy.Statement, v iampolicy.Value) Truster {
	t.Kind, t.Key, t.Label = Federated, "federated:"+v.Text, "federated "+v.Text
	if strings.Contains(v.Text, ":saml-provider/") {
		name := v.Text[strings.Index(v.Text, ":saml-provider/")+len(":saml-provider/"):]
		t.Kind, t.Key, t.Label = SAML, "saml:"+name, "SAML provider "+name
		return t
	}
	if refs := cfn.Refs(v.Node); len(refs) > 0 {
		if r := a.Model.Resource(refs[0]); r != nil && r.Type == "AWS::IAM::SAMLProvider" {
			name := r.Name()
			if n, ok := r.Prop("Name").Literal(); ok {
				name = n
			}
			t.Kind, t.Key, t.Label = SAML, "saml:"+name, "SAML provider "+name
			t.Provider, t.ProviderName = r.Node, "SAML provider "+r.Name()
			return t
		}
	}
	if !st.HasAction("sts:AssumeRoleWithWebIdentity") && !st.NotAction {
		return t
	}
	host, provNode, provName, ok := a.resolveOIDC(st, v)
	if !ok {
		return t
	}
	p := classifyHost(host)
	t.Provider, t.ProviderName = provNode, provName
	t.WebIdentity = true
	if p.kind == cognito {
		t.Kind, t.Key, t.Label = Cognito, "cognito", p.name
		if !opaqueConditions(st) {
			judgeCognito(&t, st)
		}
		return t
	}
	t.Kind, t.Key, t.Label = OIDC, "oidc:"+host, p.name
	if p.kind != generic {
		t.Label = p.name + " (" + host + ")"
	}
	if !opaqueConditions(st) {
		judgeOIDC(&t, st, p)
	}
	return t
}

// resolveOIDC finds the host of the OIDC provider a Federated principal
// names (IAM038's resolve).
func (a *Analysis) resolveOIDC(st *iampolicy.Statement, v iampolicy.Value) (host string, prov *cfn.Node, provName string, ok bool) {
	_, h, isOIDC := strings.Cut(v.Text, ":oidc-provider/")
	switch {
	case isOIDC && h != "" && !strings.Contains(h, "${"):
		return normalizeHost(h), nil, "", true
	case isOIDC:
	default:
		if refs := cfn.Refs(v.Node); len(refs) > 0 {
			r := a.Model.Resource(refs[0])
			if r != nil && (r.Type == "AWS::IAM::OIDCProvider" || strings.HasPrefix(r.Type, "Custom::") && r.Prop("Url") != nil) {
				url := r.Prop("Url")
				if u, known := cfn.Sym(url); known && u != "" {
					return normalizeHost(u), url, "OIDC provider " + strings.TrimSuffix(r.Name(), "/Resource/Default"), true
				}
			}
		} else if v.Known && !strings.Contains(v.Text, ":") {
			return normalizeHost(v.Text), nil, "", true
		}
	}
	hosts := map[string]bool{}
	for _, c := range st.Conditions {
		i := strings.LastIndexByte(c.Key, ':')
		if i <= 0 {
			continue
		}
		prefix, claim := c.Key[:i], strings.ToLower(c.Key[i+1:])
		if !strings.Contains(prefix, ".") {
			continue
		}
		switch claim {
		case "sub", "aud", "amr", "azp", "oaud":
			hosts[normalizeHost(prefix)] = true
		}
	}
	if len(hosts) == 1 {
		for h := range hosts {
			return h, nil, "", true
		}
	}
	return "", nil, "", false
}

// positive returns the conditions on key with a positive string operator.
func positive(st *iampolicy.Statement, key string) []iampolicy.Condition {
	var out []iampolicy.Condition
	for _, c := range st.Condition(key) {
		switch c.Base {
		case "StringEquals", "StringEqualsIgnoreCase", "StringLike":
			if len(c.Values) > 0 && !c.IfExists && c.Set != "ForAllValues" {
				out = append(out, c)
			}
		}
	}
	return out
}

func judgeCognito(t *Truster, st *iampolicy.Statement) {
	key := "cognito-identity.amazonaws.com:amr"
	for _, c := range positive(st, key) {
		for _, v := range c.Values {
			if !v.Known {
				continue
			}
			match := strings.EqualFold(v.Text, "unauthenticated")
			if c.Base == "StringLike" {
				match = iampolicy.MatchWildcard(v.Text, "unauthenticated")
			}
			if match {
				t.Exposure, t.Short = Open, "unauthenticated"
				t.Who = "unauthenticated (guest) Amazon Cognito identities"
				t.Why = fmt.Sprintf("%s %q %q", c.Operator, key, v.Text)
				return
			}
		}
	}
}

func judgeOIDC(t *Truster, st *iampolicy.Statement, p provider) {
	subKey := p.host + ":sub"
	if p.kind == generic {
		for _, c := range st.Conditions {
			if strings.HasPrefix(strings.ToLower(c.Key), p.host+":") {
				return
			}
		}
		t.Exposure, t.Who = Narrow, p.everyone
		t.Why = fmt.Sprintf("no condition on its token claims (%s)", subKey)
		t.Short = "no claim condition"
		return
	}
	subs := positive(st, subKey)
	if len(subs) == 0 {
		t.Exposure, t.Who = Open, p.everyone
		if p.tenant {
			t.Exposure = Narrow
		}
		t.Why = fmt.Sprintf("no %q condition", subKey)
		t.Short = "no sub"
		return
	}
	// Conditions are ANDed (the most restrictive decides); the values of
	// one condition are ORed (the most permissive decides).
	best := Open + 1
	var bestWhy, bestWho, bestShort string
	for _, c := range subs {
		worst, why, who, short := NotExposed, "", "", ""
		for _, v := range c.Values {
			e, w, o := judgeSub(p, c.Base == "StringLike", v)
			if e > worst {
				worst, why, who, short = e, w, o, fmt.Sprintf("sub %q", v.Text)
			}
		}
		if worst < best {
			best, bestWhy, bestWho, bestShort = worst, why, who, short
		}
	}
	if best > NotExposed && best <= Open {
		t.Exposure, t.Why, t.Who, t.Short = best, bestWhy, bestWho, bestShort
	}
}

func wild(s string) bool { return strings.ContainsAny(s, "*?") }

// judgeSub grades one sub value: the exposure, why and who.
func judgeSub(p provider, like bool, v iampolicy.Value) (Exposure, string, string) {
	if !like || !v.Known {
		return NotExposed, "", ""
	}
	t := v.Text
	subKey := p.host + ":sub"
	outsider := Open
	if p.tenant {
		outsider = NotExposed // within one tenant: IAM038's business
	}
	if trust.WildcardOnly(v) {
		e := Open
		if p.tenant {
			e = Narrow
		}
		return e, fmt.Sprintf("%q StringLike %q matches every token", subKey, t), p.everyone
	}
	if wild(t[:1]) {
		return outsider, fmt.Sprintf("%q StringLike %q starts with a wildcard", subKey, t), "any " + p.name + " subject that contains " + strings.Trim(t, "*?")
	}
	lower := strings.ToLower(t)
	switch p.kind {
	case github:
		if !strings.HasPrefix(lower, "repo:") || p.tenant {
			return NotExposed, "", ""
		}
		owner, rest, slash := strings.Cut(t[len("repo:"):], "/")
		if !slash || wild(owner) {
			return Open, fmt.Sprintf("%q StringLike %q leaves the repository owner open", subKey, t), "a workflow of a repository of another owner"
		}
		repo, _, _ := strings.Cut(rest, ":")
		if wild(repo) {
			return Narrow, fmt.Sprintf("%q StringLike %q", subKey, t), "any workflow of any repository of " + owner
		}
	case gitlab:
		if !strings.HasPrefix(lower, "project_path:") {
			return NotExposed, "", ""
		}
		path, _, _ := strings.Cut(t[len("project_path:"):], ":")
		group, _, slash := strings.Cut(path, "/")
		if !slash || wild(group) {
			return Open, fmt.Sprintf("%q StringLike %q leaves the top-level group open", subKey, t), "a CI job of a project of another GitLab group"
		}
		if wild(path) {
			return Narrow, fmt.Sprintf("%q StringLike %q", subKey, t), "any CI job of any project of GitLab group " + group
		}
	case terraform:
		if !strings.HasPrefix(lower, "organization:") {
			return NotExposed, "", ""
		}
		org, rest, _ := strings.Cut(t[len("organization:"):], ":")
		if wild(org) {
			return Open, fmt.Sprintf("%q StringLike %q leaves the organization open", subKey, t), "a run of another Terraform Cloud organization"
		}
		ws, found := segment(rest, "workspace")
		if !found || wild(ws) {
			return Narrow, fmt.Sprintf("%q StringLike %q", subKey, t), "any run of any workspace of Terraform Cloud organization " + org
		}
	}
	return NotExposed, "", ""
}

func segment(s, name string) (string, bool) {
	parts := strings.Split(s, ":")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], name) {
			return parts[i+1], true
		}
	}
	return "", false
}
