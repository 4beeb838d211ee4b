// Package exposure answers two questions about the roles, users and groups
// of one stack: who can become each role (its trust policy, classified:
// the public, OIDC providers, Amazon Cognito identities, accounts,
// services, SAML providers and in-stack roles and users), and what each
// principal can do once become (administrator, privilege escalation,
// permissions management, write, read).
//
// IAM066 reports roles where the two meet badly: a role that outsiders can
// assume and that holds privileged rights. internal/graph draws the same
// analysis as a picture. Both read it through Analyze.
//
// The analysis follows iamvet's rule of never guessing: unresolvable
// principals, conditions built at deploy time, unresolved actions and
// customer managed policies defined outside the stack are not exposures
// nor privileges; they grade as Unknown.
package exposure

import (
	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// Analysis is the exposure analysis of one stack model. It is computed
// lazily and is not safe for concurrent use.
type Analysis struct {
	Model *stackmodel.Model
	ctx   *trust.Context

	trusters map[*stackmodel.Principal][]Truster
	caps     map[capKey]Capabilities
	paths    map[*stackmodel.Principal][]Path // nil until computed
}

type capKey struct {
	p *stackmodel.Principal
	s Session
}

// Analyze returns the analysis of a stack model.
func Analyze(m *stackmodel.Model) *Analysis {
	return &Analysis{
		Model:    m,
		ctx:      trust.ContextOf(m),
		trusters: map[*stackmodel.Principal][]Truster{},
		caps:     map[capKey]Capabilities{},
	}
}

// Exposure says how far outside the account a truster reaches.
type Exposure int

// Exposures, least first.
const (
	// NotExposed: a service, the account itself, an account of the same
	// cloud assembly, a pinned third party, a pinned federated identity,
	// or something that cannot be judged.
	NotExposed Exposure = iota
	// Narrow: a bounded group outside the account's control: every
	// repository of one GitHub organization (org-wide sub), every project
	// of a tenant-scoped OIDC issuer (EKS cluster, CircleCI organization,
	// Bitbucket workspace, GitHub Enterprise) or every user of a generic
	// OIDC provider without a sub condition, the public restricted by
	// network origin only.
	Narrow
	// Open: anyone: the public ("*" not pinned), any repository or project
	// of a multi-tenant CI provider (GitHub Actions, GitLab.com, Terraform
	// Cloud) without a pinned sub, a third-party account without
	// sts:ExternalId, unauthenticated Amazon Cognito identities.
	Open
)

func (e Exposure) String() string {
	switch e {
	case Narrow:
		return "narrow"
	case Open:
		return "open"
	}
	return "none"
}

// Kind is the kind of a truster.
type Kind string

// Truster kinds.
const (
	Public    Kind = "public"    // Principal "*" / {"AWS": "*"}
	Account   Kind = "account"   // an account root (own or foreign)
	AWSIdent  Kind = "aws"       // a role, user or session ARN outside the stack
	InStack   Kind = "principal" // an in-stack role or user (Fn::GetAtt X.Arn)
	Service   Kind = "service"   // a service principal
	OIDC      Kind = "oidc"      // an OIDC identity provider (web identity)
	Cognito   Kind = "cognito"   // cognito-identity.amazonaws.com
	SAML      Kind = "saml"      // a SAML provider
	Federated Kind = "federated" // another or unresolvable federated principal
	Canonical Kind = "canonical" // a CanonicalUser
	Other     Kind = "other"     // an AWS principal that cannot be classified
)

// Truster is one principal a role's trust policy lets assume the role.
type Truster struct {
	Kind Kind
	// Key identifies the truster across stacks: "public",
	// "account:222222222222", "account:${AWS::AccountId}",
	// "service:lambda.amazonaws.com", "oidc:token.actions.githubusercontent.com",
	// "cognito", "saml:CorpIdp", "aws:arn:aws:iam::444444444444:role/ops".
	// In-stack principals have the key "principal:" + logical ID (unique
	// within the stack only).
	Key string
	// Label names it for pictures: "every AWS principal (*)",
	// "account 222222222222", "GitHub Actions".
	Label string
	// Exposure is how exposed the role is through this truster alone
	// (in-stack principals are NotExposed here; see Paths).
	Exposure Exposure
	// Who and Why are message fragments for exposed trusters: "any GitHub
	// Actions workflow in any repository", `its trust policy has no
	// "token.actions.githubusercontent.com:sub" condition`.
	Who, Why string
	// Short is a few words for graph edges: "no sub", `sub "repo:acme/*"`,
	// "no ExternalId", "unpinned *", "unauthenticated".
	Short string
	// Statement is the trust statement, At the principal value to report on.
	Statement *iampolicy.Statement
	At        *cfn.Node
	// Provider is the in-stack identity provider's Url (OIDC) or the
	// provider resource (SAML), when the principal refers to one.
	Provider     *cfn.Node
	ProviderName string
	// Principal is the in-stack role or user (Kind InStack).
	Principal *stackmodel.Principal
	// Account is the account of Account and AWSIdent trusters (12 digits
	// or ${AWS::AccountId}); SameAccount and InAssembly qualify it.
	Account     string
	SameAccount bool
	InAssembly  bool
	// WebIdentity is true when the truster assumes the role with a web
	// identity token (OIDC, Cognito): such sessions never carry MFA.
	WebIdentity bool
}

// Session is the kind of session a role is assumed with, as far as the
// MFA condition keys tell.
type Session int

// Sessions.
const (
	// AnySession counts every Allow statement, MFA-gated ones included.
	AnySession Session = iota
	// NoMFA counts only the statements a session without MFA can use
	// (web identity sessions, most automation).
	NoMFA
)

func (s Session) sessions() trust.Sessions {
	if s == NoMFA {
		return trust.NoMFASession
	}
	return trust.AllSessions
}

// Path is how outsiders reach a role: Hops[0] is in the role's own trust
// policy; when it is an in-stack principal, Hops[1] is in that principal's
// trust policy, and so on; the last hop is the exposed external truster.
type Path struct {
	Exposure Exposure
	Hops     []Truster
}

// Source is the external truster at the end of the path.
func (p Path) Source() Truster { return p.Hops[len(p.Hops)-1] }

// Session is the session the outsider holds when it reaches the role.
func (p Path) Session() Session {
	if p.Source().WebIdentity {
		return NoMFA
	}
	return AnySession
}

// Through reports whether the path passes through the in-stack principal p.
func (p Path) Through(q *stackmodel.Principal) bool {
	for _, h := range p.Hops {
		if h.Principal == q {
			return true
		}
	}
	return false
}
