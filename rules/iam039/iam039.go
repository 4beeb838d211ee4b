// Package iam039 defines IAM039 (saml-trust-missing-aud).
package iam039

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

const doc = `SAML federation trust has no SAML:aud condition

A role that trusts a SAML identity provider (sts:AssumeRoleWithSAML with a
Federated saml-provider principal) should require the SAML:aud condition:
the audience (recipient endpoint) of the assertion must be the AWS sign-in
endpoint, https://signin.aws.amazon.com/saml or a regional
https://<region>.signin.aws.amazon.com/saml. AWS's documentation for SAML
2.0 federated roles includes it in every trust policy, and the IAM console
and CDK's SamlConsolePrincipal add it. Without it the role accepts any
assertion the identity provider signs that names the role, whatever
application it was issued for.

The finding is reported on the Federated principal when no positive
SAML:aud condition (StringEquals, StringLike, …) exists, or on the value
when it is only a wildcard. Unresolvable values are taken as valid.`

// Rule is IAM039.
var Rule = rules.Register(&rules.Rule{
	Slug:     "saml-trust-missing-aud",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	CWE:      []string{"CWE-287", "CWE-346"},
	Fix:      "Use new iam.SamlConsolePrincipal(provider), or add StringEquals { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } to the SamlPrincipal or FederatedPrincipal conditions.",
	Bad:      "new iam.Role(this, 'Analyst', { assumedBy: new iam.FederatedPrincipal(saml.samlProviderArn, {}, 'sts:AssumeRoleWithSAML') });",
	Good:     "new iam.Role(this, 'Analyst', { assumedBy: new iam.SamlConsolePrincipal(saml) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM039",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Trust) {
		if !st.Allow() || st.NotPrincipal || st.NotAction || !st.HasAction("sts:AssumeRoleWithSAML") || trust.OpaqueConditions(st) {
			continue
		}
		for _, p := range st.Principals {
			if p.Type != "Federated" {
				continue
			}
			name, ok := samlProvider(m, st, p.Value)
			if !ok {
				continue
			}
			conds, valid := audConditions(st)
			if valid {
				continue
			}
			if len(conds) > 0 {
				for _, v := range conds {
					rules.Report(pass, rules.Diag{
						At:        v.At,
						Statement: st,
						Evidence:  "SAML:aud " + v.Text,
						Message: fmt.Sprintf("%s trusts SAML provider %s with SAML:aud %q, which matches any audience: require the AWS sign-in endpoint, https://signin.aws.amazon.com/saml",
							m.Where(st), name, v.Text),
					})
				}
				continue
			}
			rules.Report(pass, rules.Diag{
				At:        p.Value.At,
				Statement: st,
				Evidence:  "missing SAML:aud",
				Message: fmt.Sprintf("%s trusts SAML provider %s (sts:AssumeRoleWithSAML) without a SAML:aud condition: assertions issued for any audience are accepted; require SAML:aud = https://signin.aws.amazon.com/saml",
					m.Where(st), name),
			})
		}
	}
	return nil, nil
}

// samlProvider names the SAML provider a Federated principal value refers
// to: an ARN with :saml-provider/, or a Ref/GetAtt to an in-stack
// AWS::IAM::SAMLProvider. A value that names an OIDC provider or a web
// identity host is not SAML. An unresolvable value counts as SAML only when
// the statement names sts:AssumeRoleWithSAML without a wildcard.
func samlProvider(m *stackmodel.Model, st *iampolicy.Statement, v iampolicy.Value) (string, bool) {
	if i := strings.Index(v.Text, ":saml-provider/"); i >= 0 {
		return v.Text[i+len(":saml-provider/"):], true
	}
	if strings.Contains(v.Text, ":oidc-provider/") {
		return "", false
	}
	for _, id := range cfn.Refs(v.Node) {
		r := m.Resource(id)
		if r == nil {
			continue
		}
		if r.Type == "AWS::IAM::SAMLProvider" {
			return r.Name(), true
		}
		return "", false // an OIDC provider or another in-stack resource
	}
	if v.Known {
		return "", false // a web identity host such as cognito-identity.amazonaws.com
	}
	for _, a := range st.Actions {
		if a.Known && strings.EqualFold(a.Text, "sts:AssumeRoleWithSAML") {
			return v.Text, true
		}
	}
	return "", false
}

// audConditions returns the SAML:aud values of positive conditions and
// whether one of those conditions restricts the audience (every value
// unresolvable or not a bare wildcard). When none does, the values returned
// are the wildcard ones to report.
func audConditions(st *iampolicy.Statement) ([]iampolicy.Value, bool) {
	var wild []iampolicy.Value
	for _, c := range st.Condition("SAML:aud") {
		if c.Set == "ForAllValues" {
			continue
		}
		like := false
		switch c.Base {
		case "StringEquals", "StringEqualsIgnoreCase":
		case "StringLike":
			like = true
		default:
			continue
		}
		if len(c.Values) == 0 {
			continue
		}
		var bad []iampolicy.Value
		for _, v := range c.Values {
			if like && trust.WildcardOnly(v) {
				bad = append(bad, v)
			}
		}
		if len(bad) == 0 {
			return nil, true
		}
		wild = append(wild, bad...)
	}
	return wild, false
}
