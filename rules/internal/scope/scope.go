// Package scope tells, for each action of an Allow identity statement, what
// the action value grants according to the AWS action catalogue and whether
// the statement leaves its resources unconstrained. It is shared by the rules
// that grade actions on every resource: IAM015 and IAM028 to IAM032.
//
// A statement leaves an action's resources unconstrained when
//
//   - it names every resource: Resource "*", NotResource (every resource but
//     a few), or an ARN of the action's service whose resource part is all
//     wildcards, possibly after the resource type ("arn:aws:s3:::*",
//     "arn:aws:dynamodb:*:*:table/*", "arn:aws:iam::*:role/*"), and
//   - no condition narrows the resources: a condition on aws:ResourceTag/…,
//     aws:ResourceAccount, aws:ResourceOrgID, kms:ViaService,
//     kms:EncryptionContext…, iam:PassedToService, s3:prefix,
//     dynamodb:LeadingKeys and similar keys, tested with a positive operator
//     (StringEquals, ArnLike, …) against values that are not all wildcards.
//
// Other conditions (aws:RequestedRegion, aws:SourceIp,
// aws:MultiFactorAuthPresent, …) limit when the statement applies but not
// what it applies to: the rules still report, one severity step lower, and
// say so. Conditions that can pass without the key (…IfExists, Null checks,
// ForAllValues) narrow nothing and are ignored.
//
// Values the template leaves unresolved are never taken for "*": an action
// or a resource that is not a literal (a Ref, a parameter) is not
// unconstrained, so the rules stay silent about it.
package scope

import (
	"fmt"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
)

// Statement is the scope of one Allow identity statement.
type Statement struct {
	St *iampolicy.Statement
	// Grants has one entry per action value, in the statement's order.
	Grants []Grant
	// Narrowing lists the conditions that narrow the resources (or that
	// cannot be read): when there is one, no action is unconstrained.
	Narrowing []iampolicy.Condition
	// Limiting lists the other conditions, which limit when the statement
	// applies but not to which resources: rules lower their severity.
	Limiting []iampolicy.Condition
	// unreadable is set when the Condition element is present but could
	// not be normalized (an Fn::If, a malformed block).
	unreadable bool
	// broad are the resource values that name every resource of some
	// service; notResource is set for Allow with NotResource.
	broad       []broadResource
	notResource bool
}

// Grant is one action value with what it grants.
type Grant struct {
	Value iampolicy.Value
	// Actions is the value's expansion in the catalogue: the action itself
	// for a plain name, every matching action for a pattern. It is nil for
	// unresolved values and for actions the catalogue does not know
	// (IAM058 reports those), and for Full values. It may be shared: do
	// not modify it.
	Actions []*iamdata.Action
	// Pattern is set when the value has a "*" or "?".
	Pattern bool
	// Full is set for "*" and "*:*" (every action: IAM011/IAM012's).
	Full bool
	// ServiceWide is the service of a "svc:*" value (IAM013's), else "".
	ServiceWide string
	// Exposed are the Actions granted on unconstrained resources (empty
	// when the resources or conditions constrain them).
	Exposed []*iamdata.Action
}

type broadResource struct {
	v       iampolicy.Value
	service string // "" for "*"; else the ARN's lower-cased service (may be a pattern)
	typ     string // the resource type of "table/*", else ""
}

// Of returns the scope of an identity statement, or nil when the statement
// does not allow (a Deny), uses NotAction (IAM011/IAM016's business), or
// is not part of an identity policy.
func Of(st *iampolicy.Statement) *Statement {
	if st == nil {
		return nil
	}
	return st.Memo(memoKey{}, ofAny).(*Statement)
}

func ofAny(st *iampolicy.Statement) any { return of(st) }

type memoKey struct{}

func of(st *iampolicy.Statement) *Statement {
	if st == nil || !st.Allow() || st.NotAction || (st.Doc != nil && st.Doc.Kind != iampolicy.Identity) {
		return nil
	}
	s := &Statement{St: st}
	s.classifyConditions()
	s.notResource = st.NotResource
	if !st.NotResource {
		for _, r := range st.Resources {
			if svc, typ, ok := broadARN(r); ok {
				s.broad = append(s.broad, broadResource{v: r, service: svc, typ: typ})
			}
		}
	}
	open := !s.Narrowed()
	s.Grants = make([]Grant, 0, len(st.Actions))
	for _, v := range st.Actions {
		g := Grant{Value: v}
		if !v.Known {
			s.Grants = append(s.Grants, g)
			continue
		}
		g.Pattern = strings.ContainsAny(v.Text, "*?")
		g.Full = isFull(v.Text)
		g.ServiceWide = serviceWide(v.Text)
		switch {
		case g.Full:
			// Every action of every service: administrator, not a question
			// of scoping. Expanding it would cost 22,000 entries per value.
		case g.Pattern:
			g.Actions = iamdata.ExpandShared(v.Text) // read only, as Grant says
		default:
			if a := iamdata.LookupAction(v.Text); a != nil {
				g.Actions = []*iamdata.Action{a}
			}
		}
		if open {
			for _, a := range g.Actions {
				if s.coversAll(a) {
					g.Exposed = append(g.Exposed, a)
				}
			}
		}
		s.Grants = append(s.Grants, g)
	}
	return s
}

// Narrowed reports whether a condition narrows the statement's resources
// (or cannot be read, in which case the rules stay silent).
func (s *Statement) Narrowed() bool { return s.unreadable || len(s.Narrowing) > 0 }

// Limited reports whether conditions limit when the statement applies:
// rules lower their severity one step.
func (s *Statement) Limited() bool { return len(s.Limiting) > 0 }

// coversAll reports whether the statement's resources include every
// resource action a can act on.
func (s *Statement) coversAll(a *iamdata.Action) bool {
	if s.notResource {
		return true
	}
	for _, b := range s.broad {
		if b.matches(a) {
			return true
		}
	}
	return false
}

// matches reports whether the broad resource covers the resources of a.
func (b broadResource) matches(a *iamdata.Action) bool {
	if b.service == "" {
		return true
	}
	for _, svc := range targetServices(a) {
		if iampolicy.MatchWildcard(b.service, svc) {
			return true
		}
	}
	return false
}

// At returns the resource node that leaves the statement's resources
// unconstrained for a: the "*" (or broad ARN) value, or the NotResource
// element. It returns nil when the resources are constrained for a.
func (s *Statement) At(a *iamdata.Action) *cfn.Node {
	if s.notResource {
		return s.St.ResourceAt
	}
	for _, b := range s.broad {
		if b.matches(a) {
			return b.v.At
		}
	}
	return nil
}

// Evidence is the text of the resource that leaves a unconstrained
// ("*", "arn:aws:s3:::*" or "NotResource"), for fingerprints.
func (s *Statement) Evidence(a *iamdata.Action) string {
	if s.notResource {
		return "NotResource"
	}
	for _, b := range s.broad {
		if b.matches(a) {
			return b.v.Text
		}
	}
	return ""
}

// On describes, for messages, the unconstrained resources of a: `every
// resource ("*")`, `every resource but those in NotResource`, `every s3
// resource ("arn:aws:s3:::*")`, `every dynamodb table
// ("arn:aws:dynamodb:*:*:table/*")`.
func (s *Statement) On(a *iamdata.Action) string {
	if s.notResource {
		return "every resource but those in NotResource"
	}
	for _, b := range s.broad {
		if b.matches(a) {
			switch {
			case b.service == "":
				return `every resource ("*")`
			case b.typ != "":
				return fmt.Sprintf("every %s %s (%q)", b.service, b.typ, b.v.Text)
			}
			return fmt.Sprintf("every %s resource (%q)", b.service, b.v.Text)
		}
	}
	return "its resources"
}

// Lower returns sev one step lower when conditions limit the statement.
func (s *Statement) Lower(sev rules.Severity) rules.Severity {
	if s.Limited() {
		return sev.Lower()
	}
	return sev
}

// LimitNote is a message suffix naming the limiting conditions ("" when
// there are none), e.g. "; a condition on aws:RequestedRegion limits when
// it applies, so the severity is lowered".
func (s *Statement) LimitNote() string {
	if !s.Limited() {
		return ""
	}
	var keys []string
	seen := map[string]bool{}
	for _, c := range s.Limiting {
		k := strings.ToLower(c.Key)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, c.Key)
		}
	}
	noun, verb := "a condition on", "limits"
	if len(keys) > 1 {
		noun, verb = "conditions on", "limit"
	}
	return fmt.Sprintf("; %s %s %s when the statement applies, so the severity is lowered", noun, rules.List(keys, 3), verb)
}

// Hits returns the exposed actions of g that pred selects.
func (g Grant) Hits(pred func(*iamdata.Action) bool) []*iamdata.Action {
	var out []*iamdata.Action
	for _, a := range g.Exposed {
		if pred(a) {
			out = append(out, a)
		}
	}
	return out
}

// Describe renders the action value for messages with what it expands to
// when it is a pattern: "s3:GetObject", or "s3:Get* (63 actions, incl.
// s3:GetObject)" naming up to two of hits.
func (g Grant) Describe(hits []*iamdata.Action) string {
	if !g.Pattern {
		return g.Value.Text
	}
	var names []string
	for _, a := range hits {
		names = append(names, a.FullName())
	}
	n := len(g.Actions)
	unit := "actions"
	if n == 1 {
		unit = "action"
	}
	if len(names) == 0 {
		return fmt.Sprintf("%s (%d %s)", g.Value.Text, n, unit)
	}
	return fmt.Sprintf("%s (%d %s, incl. %s)", g.Value.Text, n, unit, rules.List(names, 2))
}

func isFull(t string) bool {
	t = strings.ReplaceAll(t, "*", "")
	return t == "" || t == ":"
}

func serviceWide(t string) string {
	svc, act, ok := strings.Cut(t, ":")
	if !ok || svc == "" || strings.ContainsAny(svc, "*?") || strings.Trim(act, "*") != "" {
		return ""
	}
	return strings.ToLower(svc)
}
