package trust

import (
	"strings"
	"sync"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// Power grades what a principal may do. The order of the constants is the
// order of power, except Unknown, which is lowest as a number: compare with
// AtLeast and IsReadOnly rather than with < and >.
type Power int

// Powers.
const (
	// Unknown: some permissions cannot be graded (a customer managed
	// policy defined elsewhere, an unresolved action) and nothing graded
	// reaches Write.
	Unknown Power = iota
	// NoPower: no Allow statement applies.
	NoPower
	// ReadOnly: List and Read actions only (AWS service reference access
	// levels), or read-only AWS managed policies.
	ReadOnly
	// Write: other actions, but nothing below.
	Write
	// PowerUser: every service but a few: PowerUserAccess, or Allow with
	// NotAction on every resource.
	PowerUser
	// Admin: AdministratorAccess or IAMFullAccess, "*" on every resource,
	// or a service-wide wildcard on an account-takeover service (iam:*,
	// organizations:*, sso:*) on every resource.
	Admin
)

func (p Power) String() string {
	return [...]string{"unknown", "none", "read-only", "write", "power-user", "admin"}[p]
}

// AtLeast reports whether p is known and at least q.
func (p Power) AtLeast(q Power) bool { return p != Unknown && p >= q }

// IsReadOnly reports whether p is known to be read-only or nothing.
func (p Power) IsReadOnly() bool { return p == NoPower || p == ReadOnly }

// Grade is a Power with the value that set it, for messages.
type Grade struct {
	Power Power
	// Evidence is what made the grade: "AdministratorAccess",
	// `"*" on every resource`, "every action except iam:* on every
	// resource" (Allow with NotAction), "iam:* on every resource", "s3:PutObject".
	// Empty for NoPower, ReadOnly and Unknown.
	Evidence string
}

// PowerOf grades the permissions of a role, user or group (its
// EffectivePolicies and managed policy ARNs), counting only the Allow
// statements whose MFA conditions let a request of the given kinds through
// (AllSessions: every statement; NoMFASession: what a role session assumed
// without MFA may do — for such a session aws:MultiFactorAuthPresent is
// present and false, so Bool true and BoolIfExists true both gate).
// Permission boundaries, SCPs and Deny statements are not subtracted.
func PowerOf(m *stackmodel.Model, p *stackmodel.Principal, kinds Sessions) Grade {
	g := Grade{Power: NoPower}
	unknown := false
	raise := func(q Power, ev string) {
		if q > g.Power {
			g = Grade{Power: q, Evidence: ev}
		}
	}
	for _, arn := range p.ManagedPolicyArns {
		q, name := managedPower(arn)
		if q == Unknown {
			unknown = true
			continue
		}
		ev := ""
		if q >= Write {
			ev = name
		}
		raise(q, ev)
	}
	for _, d := range m.EffectivePolicies(p) {
		if d.Kind != iampolicy.Identity {
			continue
		}
		for _, st := range d.Statements {
			if !st.Allow() || !Applies(st, kinds) {
				continue
			}
			q, ev := statementPower(st)
			if q == Unknown {
				unknown = true
				continue
			}
			raise(q, ev)
		}
	}
	if unknown && g.Power < Write {
		return Grade{Power: Unknown}
	}
	return g
}

// managedPower grades a managed policy ARN: AWS managed policies by name,
// anything else Unknown.
func managedPower(v iampolicy.Value) (Power, string) {
	t := v.Text
	i := strings.Index(t, ":iam::aws:policy/")
	if i < 0 || !strings.HasPrefix(t, "arn:") {
		return Unknown, ""
	}
	name := t[i+len(":iam::aws:policy/"):]
	if strings.Contains(name, "${") {
		return Unknown, ""
	}
	base := name[strings.LastIndex(name, "/")+1:]
	switch base {
	case "AdministratorAccess", "IAMFullAccess", "AWSOrganizationsFullAccess":
		return Admin, name
	case "PowerUserAccess":
		return PowerUser, name
	case "ReadOnlyAccess", "SecurityAudit", "ViewOnlyAccess", "AWSSupportAccess":
		return ReadOnly, name
	}
	if strings.HasSuffix(base, "ReadOnlyAccess") || strings.HasSuffix(base, "ReadOnly") {
		return ReadOnly, name
	}
	return Write, name
}

// statementPower grades one Allow statement.
func statementPower(st *iampolicy.Statement) (Power, string) {
	all := st.AllResources()
	if st.NotAction {
		if all {
			return PowerUser, "every action except " + rules.List(rules.Texts(st.Actions), 3) + " on every resource"
		}
		return Write, "NotAction"
	}
	best, ev := NoPower, ""
	for _, a := range st.Actions {
		if !a.Known {
			return Unknown, ""
		}
		q, e := Power(0), a.Text
		switch {
		case wildcard.IsFull(a) && all:
			q, e = Admin, `"`+a.Text+`" on every resource`
		case wildcard.IsFull(a):
			q = Write
		case all && takeover(wildcard.ServiceWide(a)):
			q, e = Admin, a.Text+" on every resource"
		default:
			q = actionPower(a.Text)
		}
		if q == Unknown {
			return Unknown, ""
		}
		if q > best {
			best, ev = q, e
		}
	}
	if best < Write {
		ev = ""
	}
	return best, ev
}

// takeover reports whether full access to a service takes over the account.
func takeover(svc string) bool {
	switch svc {
	case "iam", "organizations", "sso", "identitystore", "account":
		return true
	}
	return false
}

// actionPower grades one action pattern with the service reference:
// ReadOnly when every action it matches is List or Read, Write when one is
// something else, NoPower when it matches nothing, Unknown for an unknown
// service.
var powers sync.Map // action pattern → Power

// actionPower grades an action or pattern, once per distinct pattern.
func actionPower(pattern string) Power {
	if p, ok := powers.Load(pattern); ok {
		return p.(Power)
	}
	p := actionPowerOf(pattern)
	powers.Store(pattern, p)
	return p
}

func actionPowerOf(pattern string) Power {
	prefix, name, ok := strings.Cut(pattern, ":")
	if !ok || strings.ContainsAny(prefix, "*?") {
		return Unknown
	}
	svc := iamdata.LookupService(prefix)
	if svc == nil {
		return Unknown
	}
	if !strings.ContainsAny(name, "*?") {
		a := svc.Action(name)
		if a == nil {
			return Unknown
		}
		return accessPower(a.Access)
	}
	q := NoPower
	for _, a := range svc.Actions {
		if iampolicy.MatchWildcard(name, a.Name) {
			if p := accessPower(a.Access); p > q {
				q = p
			}
		}
	}
	return q
}

func accessPower(l iamdata.AccessLevel) Power {
	if l == iamdata.List || l == iamdata.Read {
		return ReadOnly
	}
	return Write
}
