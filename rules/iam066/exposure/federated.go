package exposure

import (
	"fmt"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules/iam038"
	"github.com/iamvet/iamvet/rules/internal/trust"
)

// The OIDC judgement is IAM038's (rules/iam038): the provider is
// recognized from the principal (an oidc-provider ARN, an in-stack
// AWS::IAM::OIDCProvider or CDK OpenIdConnectProvider, a bare host) or from
// the condition keys; a multi-tenant CI provider (GitHub Actions,
// GitLab.com, Terraform Cloud) without a sub condition, or with a sub
// pattern any outsider can satisfy, is Open; an organization-wide sub, a
// tenant-scoped issuer without a sub, or a generic provider without any
// claim condition is Narrow.

// everyone says who a provider admits when no sub condition restricts it.
func everyone(p iam038.Provider) string {
	switch p.Kind {
	case iam038.GitHub:
		if p.Tenant {
			return "any workflow of any repository of the GitHub enterprise"
		}
		return "any GitHub Actions workflow in any repository"
	case iam038.GitLab:
		return "any GitLab CI job of any project on gitlab.com"
	case iam038.Terraform:
		return "any run of any Terraform Cloud organization"
	case iam038.CircleCI:
		return "any job of any project of the CircleCI organization"
	case iam038.Bitbucket:
		return "any pipeline of any repository of the Bitbucket workspace"
	case iam038.EKS:
		return "any pod under any service account of the EKS cluster"
	}
	return "any identity OIDC provider " + p.Host + " issues a token to"
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
	// SAML providers are handled above, so ResolveProvider only rejects
	// unknown hosts.
	host, r, ok := iam038.ResolveProvider(a.Model, st, v)
	if !ok {
		return t
	}
	p := iam038.ClassifyProvider(host)
	if r != nil {
		t.Provider, t.ProviderName = r.Prop("Url"), "OIDC provider "+strings.TrimSuffix(r.Name(), "/Resource/Default")
	}
	t.WebIdentity = true
	if p.Kind == iam038.Cognito {
		t.Kind, t.Key, t.Label = Cognito, "cognito", p.Name
		if !trust.OpaqueConditionValues(st) {
			judgeCognito(&t, st)
		}
		return t
	}
	t.Kind, t.Key, t.Label = OIDC, "oidc:"+host, p.Name
	if p.Kind != iam038.Generic {
		t.Label = p.Name + " (" + host + ")"
	}
	if !trust.OpaqueConditionValues(st) {
		judgeOIDC(&t, st, p)
	}
	return t
}

// positive returns IAM038's positive conditions on key, leaving out those
// that pass when the key is absent (…IfExists, ForAllValues:).
func positive(st *iampolicy.Statement, key string) []iampolicy.Condition {
	var out []iampolicy.Condition
	for _, c := range iam038.Positive(st, key) {
		if !c.IfExists && c.Set != "ForAllValues" {
			out = append(out, c)
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

func judgeOIDC(t *Truster, st *iampolicy.Statement, p iam038.Provider) {
	subKey := p.Host + ":sub"
	if p.Kind == iam038.Generic {
		for _, c := range st.Conditions {
			if strings.HasPrefix(strings.ToLower(c.Key), p.Host+":") {
				return
			}
		}
		t.Exposure, t.Who = Narrow, everyone(p)
		t.Why = fmt.Sprintf("no condition on its token claims (%s)", subKey)
		t.Short = "no claim condition"
		return
	}
	subs := positive(st, subKey)
	if len(subs) == 0 {
		t.Exposure, t.Who = Open, everyone(p)
		if p.Tenant {
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

// judgeSub grades one sub value (iam038.JudgeSub): the exposure, why and
// who. Within a tenant-scoped issuer only a match-everything pattern
// counts: the rest is IAM038's business.
func judgeSub(p iam038.Provider, like bool, v iampolicy.Value) (Exposure, string, string) {
	sub := iam038.JudgeSub(p, like, v)
	t := v.Text
	subKey := p.Host + ":sub"
	switch {
	case sub.Reach == iam038.SubEvery:
		e := Open
		if p.Tenant {
			e = Narrow
		}
		return e, fmt.Sprintf("%q StringLike %q matches every token", subKey, t), everyone(p)
	case p.Tenant:
		return NotExposed, "", ""
	case sub.Reach == iam038.SubLeadingWildcard:
		return Open, fmt.Sprintf("%q StringLike %q starts with a wildcard", subKey, t), "any " + p.Name + " subject that contains " + strings.Trim(t, "*?")
	case sub.Reach == iam038.SubOwnerOpen:
		switch p.Kind {
		case iam038.GitHub:
			return Open, fmt.Sprintf("%q StringLike %q leaves the repository owner open", subKey, t), "a workflow of a repository of another owner"
		case iam038.GitLab:
			return Open, fmt.Sprintf("%q StringLike %q leaves the top-level group open", subKey, t), "a CI job of a project of another GitLab group"
		case iam038.Terraform:
			return Open, fmt.Sprintf("%q StringLike %q leaves the organization open", subKey, t), "a run of another Terraform Cloud organization"
		}
	case sub.Reach == iam038.SubTenantWide:
		switch p.Kind {
		case iam038.GitHub:
			return Narrow, fmt.Sprintf("%q StringLike %q", subKey, t), "any workflow of any repository of " + sub.Owner
		case iam038.GitLab:
			return Narrow, fmt.Sprintf("%q StringLike %q", subKey, t), "any CI job of any project of GitLab group " + sub.Owner
		case iam038.Terraform:
			return Narrow, fmt.Sprintf("%q StringLike %q", subKey, t), "any run of any workspace of Terraform Cloud organization " + sub.Owner
		}
	}
	return NotExposed, "", ""
}
