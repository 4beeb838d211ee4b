// Package iam042 defines IAM042 (role-max-session-duration-long).
package iam042

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `role assumable by people allows sessions longer than 4 hours

A role's MaxSessionDuration is how long the credentials of one session
stay valid: up to 12 hours. For roles that people or CI pipelines assume
(through an IAM user, an account principal, SAML or OIDC federation), a
long session widens the window in which a stolen token (from a laptop, a
CI log, a browser extension) can be used, and delays the effect of revoking
access. AWS's IAM best practices ask for temporary credentials that expire
quickly; the default is 1 hour.

The rule reports a role whose MaxSessionDuration is above 14,400 seconds
(4 hours) when its trust policy lets an account root, an IAM user, a
federated user, everyone, or a SAML or OIDC identity provider assume it.
Service roles are not reported (the service decides its session lengths),
nor are roles only other roles can assume: AWS caps role-chaining sessions
at 1 hour.`

// Rule is IAM042.
var Rule = rules.Register(&rules.Rule{
	Slug:     "role-max-session-duration-long",
	Severity: rules.Low,
	Since:    "v0.1.0",
	CWE:      []string{"CWE-613"},
	Fix:      "Lower maxSessionDuration to what a working session needs (1 to 4 hours); people re-authenticate through the identity provider when it ends.",
	Bad:      "new iam.Role(this, 'Deploy', { assumedBy: githubPrincipal, maxSessionDuration: Duration.hours(12) });",
	Good:     "new iam.Role(this, 'Deploy', { assumedBy: githubPrincipal, maxSessionDuration: Duration.hours(1) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM042",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

const limit = 4 * 3600

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	ctx := trust.ContextOf(m)
	for _, p := range m.Principals {
		if p.Kind != stackmodel.Role || p.Trust == nil {
			continue
		}
		n := p.Resource.Prop("MaxSessionDuration")
		s, ok := n.Literal()
		if !ok {
			continue
		}
		secs, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || secs <= limit {
			continue
		}
		var who []string
		seen := map[string]bool{}
		add := func(s string) {
			if !seen[s] {
				seen[s] = true
				who = append(who, s)
			}
		}
		for _, st := range p.Trust.Statements {
			if !st.Allow() || st.NotPrincipal || !(st.HasAction("sts:AssumeRole") || st.HasAction("sts:AssumeRoleWithSAML") || st.HasAction("sts:AssumeRoleWithWebIdentity")) {
				continue
			}
			for _, ap := range ctx.AWSPrincipals(st) {
				if !ap.Known {
					continue
				}
				switch {
				case ap.Public, ap.IsRoot, ap.Kind == trust.User, ap.Kind == trust.FederatedUser:
					add(ap.Describe())
				}
			}
			for _, pr := range st.Principals {
				if pr.Type != "Federated" {
					continue
				}
				provider := strings.Contains(pr.Value.Text, ":saml-provider/") || strings.Contains(pr.Value.Text, ":oidc-provider/")
				if !pr.Value.Known && !provider {
					continue // an unresolvable provider: silent
				}
				add(federated(pr.Value.Text))
			}
		}
		if len(who) == 0 {
			continue
		}
		rules.Report(pass, rules.Diag{
			At: n, Locator: "MaxSessionDuration", Evidence: strconv.Itoa(secs),
			Message: fmt.Sprintf("role %s allows %s sessions (MaxSessionDuration %d) and can be assumed by %s: a stolen session token stays valid that long; keep sessions for people and CI at 4 hours or less",
				p.Resource.Name(), hours(secs), secs, strings.Join(who, ", ")),
		})
	}
	return nil, nil
}

// federated names a federated principal for messages.
func federated(t string) string {
	switch {
	case strings.Contains(t, ":saml-provider/"):
		return "SAML provider " + t[strings.Index(t, ":saml-provider/")+len(":saml-provider/"):]
	case strings.Contains(t, ":oidc-provider/"):
		return "OIDC provider " + t[strings.Index(t, ":oidc-provider/")+len(":oidc-provider/"):]
	}
	return "federated identities of " + t
}

func hours(secs int) string {
	if secs%3600 == 0 {
		return fmt.Sprintf("%d-hour", secs/3600)
	}
	return fmt.Sprintf("%.1f-hour", float64(secs)/3600)
}
