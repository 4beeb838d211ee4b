// Package iam061 defines IAM061 (malformed-arn-or-principal).
//
// It also exports SplitARN, which other rules use to read policy ARNs
// with symbolic parts.
package iam061

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `policy names a malformed ARN or principal

IAM matches Resource and Principal values as text. An ARN with a missing
part, an account id with eleven digits (a YAML number that lost its leading
zero) or a principal that is not an account, an IAM role or user, an STS
session, a service or an identity provider either makes the policy fail to
deploy or, worse, silently matches nothing, so the statement does not do
what its author meant: a Deny does not apply, a trust does not trust.

Principals are where this matters most. IAM does not expand wildcards in
principal ARNs: arn:aws:iam::*:role/deploy or role/* is rejected, or in some
resource policies compared literally, and is never "every such role". The
AWS way to trust a family of principals is Principal "*" (or an account)
with an ArnLike aws:PrincipalArn or aws:PrincipalOrgID condition. Service
principals end in amazonaws.com (amazonaws.com.cn in China); federated
principals are an OIDC or SAML provider ARN or one of the identity providers
IAM knows (cognito-identity.amazonaws.com, accounts.google.com,
graph.facebook.com, www.amazon.com).

iamvet checks literal values and the literal parts of values built with
intrinsic functions; parts it cannot resolve are not judged. A Resource that
is neither "*" nor an ARN is reported in IAM identity policies only, since
some resource policies (API Gateway's execute-api:/…) accept short forms.`

// Rule is IAM061.
var Rule = rules.Register(&rules.Rule{
	Slug:     "malformed-arn-or-principal",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Aliases:  []string{"E3511", "E3514", "E3530"},
	CWE:      []string{"CWE-1286"},
	Fix:      "Write the full ARN (arn:partition:service:region:account:resource, account ids quoted as 12-digit strings); trust a family of principals with Principal \"*\" plus an ArnLike aws:PrincipalArn condition instead of a wildcard ARN.",
	Bad:      "new iam.Role(this, 'Deploy', { assumedBy: new iam.ArnPrincipal('arn:aws:iam::*:role/deploy') });",
	Good:     "new iam.Role(this, 'Deploy', { assumedBy: new iam.AnyPrincipal().withConditions({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deploy' }, StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM061",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements() {
		report := func(v iampolicy.Value, what, problem string) {
			rules.Report(pass, rules.Diag{
				At: v.At, Statement: st, Evidence: v.Text,
				Message: fmt.Sprintf("%s %s %q %s", m.Where(st), what, v.Text, problem),
			})
		}
		iamDoc := strings.HasPrefix(st.Doc.ResourceType, "AWS::IAM::") || st.Doc.ResourceType == "AWS::SSO::PermissionSet"
		for _, v := range st.Resources {
			if p := ResourceProblem(v, iamDoc); p != "" {
				report(v, "resource", p)
			}
		}
		for _, p := range st.Principals {
			if msg := PrincipalProblem(p); msg != "" {
				report(p.Value, "principal", msg)
			}
		}
	}
	return nil, nil
}

// ResourceProblem says what is wrong with a Resource (or NotResource)
// value, or "" if nothing is known to be. iamDoc says whether the policy
// is an IAM policy, where a value must be "*" or an ARN.
func ResourceProblem(v iampolicy.Value, iamDoc bool) string {
	t := v.Text
	switch {
	case strings.HasPrefix(t, "arn:"):
		if p := ARNProblem(t); p != "" {
			return p
		}
	case v.Known && t != "*" && iamDoc:
		return `is neither "*" nor an ARN: IAM rejects the policy`
	}
	return ""
}

// knownIdPs are the web identity providers IAM accepts by name as
// Federated principals.
var knownIdPs = []string{"cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com"}

var (
	servicePrincipalRe = regexp.MustCompile(`(?i)^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com|c2s\.ic\.gov|sc2s\.sgov\.gov|amazonaws\.eu)$`)
	canonicalUserRe    = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
)

// PrincipalProblem says what is wrong with a principal, or "" if nothing
// is known to be. Values built with intrinsic functions are judged on
// their literal parts only.
func PrincipalProblem(p iampolicy.Principal) string {
	v := p.Value
	t := v.Text
	switch p.Type {
	case "?":
		return ""
	case "*":
		if v.Known && t != "*" {
			return `is a plain string: the only string Principal IAM accepts is "*" (write {"AWS": …} or {"Service": …})`
		}
	case "AWS":
		return awsPrincipalProblem(v)
	case "Service":
		switch {
		case !v.Known:
			return ""
		case t == "*" || wild(t):
			return `is a wildcard service principal: IAM accepts only a named service (lambda.amazonaws.com); scope services with aws:SourceArn or aws:SourceAccount instead`
		case !servicePrincipalRe.MatchString(t):
			return "is not a service principal: those end in .amazonaws.com (.amazonaws.com.cn in China)"
		}
	case "Federated":
		return federatedProblem(v)
	case "CanonicalUser":
		if v.Known && !canonicalUserRe.MatchString(t) {
			return "is not a canonical user id (64 hexadecimal characters)"
		}
	default:
		return fmt.Sprintf("has principal type %q, which IAM does not know (AWS, Service, Federated or CanonicalUser, case-sensitive)", p.Type)
	}
	return ""
}

func awsPrincipalProblem(v iampolicy.Value) string {
	t := v.Text
	switch {
	case t == "*":
		return ""
	case isDigits(t):
		if len(t) == 12 {
			return ""
		}
		return fmt.Sprintf("is a %d-digit number, not a 12-digit account id (an unquoted YAML number loses leading zeros)", len(t))
	case strings.HasPrefix(t, "arn:"):
		return principalARNProblem(t, "AWS")
	case !v.Known:
		return "" // ${AWS::AccountId}, ${Role.Arn}, an import: not judged
	}
	return `is neither "*", a 12-digit account id nor an IAM or STS ARN`
}

func federatedProblem(v iampolicy.Value) string {
	t := v.Text
	for _, idp := range knownIdPs {
		if t == idp || t == idp+".cn" {
			return ""
		}
	}
	switch {
	case strings.HasPrefix(t, "arn:"):
		return principalARNProblem(t, "Federated")
	case !v.Known:
		return ""
	}
	return "is neither an OIDC or SAML provider ARN nor an identity provider IAM knows (" + strings.Join(knownIdPs, ", ") + ")"
}

// principalARNProblem judges an AWS or Federated principal ARN.
func principalARNProblem(t, typ string) string {
	parts := trust.SplitARN(t)
	if len(parts) < 6 {
		if symbolic(t) {
			return ""
		}
		return "has " + itoa(len(parts)) + " of the six colon-separated parts of an ARN"
	}
	a := ARN{parts[1], parts[2], parts[3], parts[4], parts[5]}
	if p := partitionProblem(a.Partition); p != "" {
		return p
	}
	if symbolic(a.Service) {
		return ""
	}
	if wild(a.Account) || wild(trust.StripVars(a.Resource)) {
		return `has a wildcard, which IAM does not expand in principals: the policy is rejected or matches only the literal text; use Principal "*" with an ArnLike aws:PrincipalArn condition`
	}
	kind := principalKind(a, typ)
	if kind == "" {
		if typ == "Federated" {
			return "is not an OIDC or SAML provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/… or saml-provider/…)"
		}
		return "is not an IAM principal ARN (arn:aws:iam::ACCOUNT:root, role/…, user/…, or arn:aws:sts::ACCOUNT:assumed-role/…, federated-user/…)"
	}
	if a.Region != "" && !symbolic(a.Region) {
		return "has a region part: IAM and STS principal ARNs have none"
	}
	if kind == "cloudfront-oai" {
		return ""
	}
	if p := accountProblem(a.Account, true); p != "" {
		return p
	}
	return ""
}

// principalKind classifies an ARN as a principal of the given type, ""
// when it cannot be one. A resource part that starts with ${…} is taken to
// be of the right kind.
func principalKind(a ARN, typ string) string {
	res := a.Resource
	if strings.HasPrefix(res, "${") {
		return "unknown"
	}
	has := func(prefix string) bool { return strings.HasPrefix(res, prefix) && len(res) > len(prefix) }
	switch {
	case typ == "Federated":
		if a.Service == "iam" && (has("oidc-provider/") || has("saml-provider/")) {
			return "provider"
		}
	case a.Service == "iam":
		switch {
		case a.Account == "cloudfront" && has("user/"):
			return "cloudfront-oai" // arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E…
		case res == "root":
			return "root"
		case has("role/"):
			return "role"
		case has("user/"):
			return "user"
		}
	case a.Service == "sts":
		switch {
		case has("assumed-role/"):
			return "assumed-role"
		case has("federated-user/"):
			return "federated-user"
		}
	}
	return ""
}
