// Package trust holds what the trust-policy rules (IAM010, IAM033–IAM038)
// share: classification of AWS principal values, the conditions that pin
// who may assume a role, the MFA semantics of condition keys, and a coarse
// grading of what a role may do once assumed.
//
// # Principals
//
// Parse classifies one AWS principal value as cfn.Sym renders it: a literal
// or symbolic ARN (arn:${AWS::Partition}:iam::111111111111:root, which is
// what CDK's AccountPrincipal emits through Fn::Join), a bare 12-digit
// account id, ${AWS::AccountId}, or "*". Context.Classify does the same for a
// statement principal, also resolving ${Role.Arn} (Fn::GetAtt of an in-stack
// role or user) to a same-account principal. Unresolvable values are
// returned with Known false: rules must stay silent on them.
//
// # Conditions
//
// Pins and Pinning tell whether a statement's conditions narrow the
// principal with a positive test (StringEquals, StringLike, ArnEquals,
// ArnLike, … without IfExists, without ForAllValues:, without a
// wildcard-only value). MFA, MFASessions and RequiresMFA evaluate
// aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge tests over the three
// kinds of request that matter (MFA session, session without MFA, long-term
// access keys).
//
// # Power
//
// PowerOf grades the permissions a principal holds (none, read, write,
// power user, admin, unknown), optionally counting only the statements a
// request without MFA can use. Trust rules use it to grade severity.
//
// The API is shared by several rule packages: extend it, do not change the
// meaning of what exists.
package trust

import (
	"strings"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// Kind is the kind of identity an AWS principal names.
type Kind string

// Principal kinds.
const (
	// Root is an account: arn:…:iam::ACCT:root, a bare account id, or
	// ${AWS::AccountId}. It trusts every principal of that account whose
	// own policies allow sts:AssumeRole on the role.
	Root Kind = "root"
	// Role is arn:…:iam::ACCT:role/NAME.
	Role Kind = "role"
	// User is arn:…:iam::ACCT:user/NAME.
	User Kind = "user"
	// AssumedRole is arn:…:sts::ACCT:assumed-role/ROLE/SESSION.
	AssumedRole Kind = "assumed-role"
	// FederatedUser is arn:…:sts::ACCT:federated-user/NAME.
	FederatedUser Kind = "federated-user"
	// Other is anything else: "*", a group ARN, an unparseable value.
	Other Kind = "other"
)

// SameAccountRef is how cfn.Sym renders {"Ref": "AWS::AccountId"}.
const SameAccountRef = "${AWS::AccountId}"

// AWSPrincipal is one AWS principal value, classified.
type AWSPrincipal struct {
	// Value is the principal value as normalized (Value.At is where to
	// report).
	Value iampolicy.Value
	// Account is the account part: 12 digits, SameAccountRef, "*" (or
	// another wildcard pattern) when the ARN wildcards it, or "" when it
	// cannot be known (a parameter, an import, an unresolved intrinsic).
	Account string
	// SameAccount is true when Account is SameAccountRef or equals the
	// stack's own account (from the manifest environment).
	SameAccount bool
	// IsRoot is true when the principal is a whole account (Kind Root).
	IsRoot bool
	Kind   Kind
	// Name is the part after "role/", "user/", "assumed-role/",
	// "federated-user/" (path included), "" otherwise.
	Name string
	// Public is true for "*": every principal of every account.
	Public bool
	// WildcardInARN is true when an ARN has "*" or "?" in its account or
	// resource part (arn:aws:iam::666666666666:role/*). IAM does not accept
	// partial wildcards in principals; the intent is "every such identity".
	WildcardInARN bool
	// Known is true when Account and Kind are both determined: the
	// classification can be relied on. Rules stay silent when it is false.
	Known bool
}

// Foreign reports whether the principal is known to belong to another
// account than the stack's: a literal 12-digit account that is not the
// stack's own. When the stack is environment-agnostic (own account
// unknown) every literal account counts as foreign, as CDK resolves the
// stack's own account to ${AWS::AccountId} there.
func (p AWSPrincipal) Foreign() bool {
	return p.Known && !p.SameAccount && IsAccountID(p.Account)
}

// Describe names the principal for messages: "account 222222222222 (root)",
// "role arn:aws:iam::444444444444:role/ops-automation", "the stack's own
// account (root)".
func (p AWSPrincipal) Describe() string {
	switch {
	case p.Public:
		return `every principal ("*")`
	case p.IsRoot && p.SameAccount:
		return "the stack's own account root"
	case p.IsRoot:
		return "account " + p.Account + " (its root: every principal of that account)"
	}
	return string(p.Kind) + " " + p.Value.Text
}

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Parse classifies an AWS principal value rendered by cfn.Sym. own is the
// stack's account ("" when unknown). It never guesses: an account part or
// resource part that is an unresolved intrinsic gives Known false.
func Parse(v iampolicy.Value, own string) AWSPrincipal {
	p := AWSPrincipal{Value: v, Kind: Other}
	t := strings.TrimSpace(v.Text)
	switch {
	case t == "*":
		p.Public, p.Account, p.Known = true, "*", true
		return p
	case IsAccountID(t) || t == SameAccountRef:
		p.Account, p.IsRoot, p.Kind, p.Known = t, true, Root, true
	case strings.HasPrefix(t, "arn:"):
		parseARN(&p, t)
	default:
		return p
	}
	p.SameAccount = p.Account == SameAccountRef || (own != "" && p.Account == own)
	return p
}

func parseARN(p *AWSPrincipal, t string) {
	parts := SplitARN(t)
	if len(parts) != 6 {
		return
	}
	service, account, resource := parts[2], parts[4], parts[5]
	switch {
	case IsAccountID(account) || account == SameAccountRef:
		p.Account = account
	case strings.ContainsAny(account, "*?") && !strings.Contains(account, "${"):
		p.Account, p.WildcardInARN = account, true
	default:
		return // unknown account: a parameter, an import, ${?}
	}
	if strings.ContainsAny(StripVars(resource), "*?") {
		p.WildcardInARN = true
	}
	kind, name := Other, ""
	switch service {
	case "iam":
		switch {
		case resource == "root":
			kind = Root
		case strings.HasPrefix(resource, "role/"):
			kind, name = Role, resource[len("role/"):]
		case strings.HasPrefix(resource, "user/"):
			kind, name = User, resource[len("user/"):]
		}
	case "sts":
		switch {
		case strings.HasPrefix(resource, "assumed-role/"):
			kind, name = AssumedRole, resource[len("assumed-role/"):]
		case strings.HasPrefix(resource, "federated-user/"):
			kind, name = FederatedUser, resource[len("federated-user/"):]
		}
	}
	p.Kind, p.Name = kind, name
	p.IsRoot = kind == Root
	p.Known = kind != Other
}

// SplitARN splits an ARN into at most 6 parts on the colons outside
// ${…} (so arn:${AWS::Partition}:iam:: splits correctly); the last part
// keeps any further colons.
func SplitARN(s string) []string {
	parts := make([]string, 0, 6)
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
			i++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
			if len(parts) == 5 {
				return append(parts, s[start:])
			}
		}
	}
	return append(parts, s[start:])
}

// AllWild reports whether s, an ARN's resource part (or what follows its
// resource type), is made of "*", "?", "/" and ":" only, with at least
// one "*": every resource.
func AllWild(s string) bool {
	return strings.Contains(s, "*") && strings.Trim(s, "*?/:") == ""
}

// StripVars removes ${…} parts (policy variables and intrinsics), whose
// text is not a wildcard: what is left is the literal text to test for
// "*" and "?".
func StripVars(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return b.String()
		}
		s = s[i+j+1:]
	}
}

// OwnAccount returns the account of a manifest environment
// ("aws://111111111111/us-east-1"), or "" when it is unknown
// ("aws://unknown-account/unknown-region", plain templates).
func OwnAccount(environment string) string {
	rest, ok := strings.CutPrefix(environment, "aws://")
	if !ok {
		return ""
	}
	acct, _, _ := strings.Cut(rest, "/")
	if IsAccountID(acct) {
		return acct
	}
	return ""
}

// Context classifies principals for one stack.
type Context struct {
	Model *stackmodel.Model
	// Account is the stack's own account ("" when environment-agnostic).
	Account string
	// AssemblyAccounts are the accounts other stacks of the same cloud
	// assembly deploy to (sorted, without Account): accounts the same CDK
	// app owns, as opposed to third parties.
	AssemblyAccounts []string
}

// ContextOf returns the classification context of a stack model.
func ContextOf(m *stackmodel.Model) *Context {
	c := &Context{Model: m}
	if m.Stack != nil {
		c.Account = OwnAccount(m.Stack.Environment)
		for _, a := range assemblyAccounts(m.Stack) {
			if a != c.Account {
				c.AssemblyAccounts = append(c.AssemblyAccounts, a)
			}
		}
	}
	return c
}

// InAssembly reports whether account is one another stack of the same
// cloud assembly deploys to.
func (c *Context) InAssembly(account string) bool {
	for _, a := range c.AssemblyAccounts {
		if a == account {
			return true
		}
	}
	return false
}

// Classify classifies a statement principal. ok is false for principals
// that are not AWS principals (Service, Federated, CanonicalUser, an
// intrinsic Principal element). Principal "*" is classified as Public.
// An ${X.Arn} value naming an in-stack role or user is a same-account
// principal of that kind.
func (c *Context) Classify(pr iampolicy.Principal) (AWSPrincipal, bool) {
	if pr.Type != "AWS" && pr.Type != "*" {
		return AWSPrincipal{}, false
	}
	p := Parse(pr.Value, c.Account)
	if p.Known || c.Model == nil {
		return p, true
	}
	t := pr.Value.Text
	if strings.HasPrefix(t, "${") && strings.HasSuffix(t, ".Arn}") && strings.Count(t, "${") == 1 {
		id := strings.TrimSuffix(strings.TrimPrefix(t, "${"), ".Arn}")
		if r := c.Model.Resource(id); r != nil {
			switch r.Type {
			case "AWS::IAM::Role":
				p.Kind = Role
			case "AWS::IAM::User":
				p.Kind = User
			default:
				return p, true
			}
			p.Account, p.SameAccount, p.Known, p.Name = SameAccountRef, true, true, r.Name()
		}
	}
	return p, true
}

// AWSPrincipals classifies the AWS principals of a statement (including
// Principal "*"), in order. NotPrincipal statements yield nothing.
func (c *Context) AWSPrincipals(st *iampolicy.Statement) []AWSPrincipal {
	if st.NotPrincipal {
		return nil
	}
	var out []AWSPrincipal
	for _, pr := range st.Principals {
		if p, ok := c.Classify(pr); ok {
			out = append(out, p)
		}
	}
	return out
}

// GrantsAssumeRole reports whether a trust statement allows sts:AssumeRole
// (by name or wildcard). Statements that only allow sts:TagSession or
// sts:SetSourceIdentity do not let anyone assume the role.
func GrantsAssumeRole(st *iampolicy.Statement) bool {
	return st.Allow() && st.HasAction("sts:AssumeRole")
}
