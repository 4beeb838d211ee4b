// Package iampolicy normalizes IAM policy documents found in templates into
// statements with actions, resources, principals and conditions, each value
// keeping the template node it came from, and holds the matching semantics
// every rule shares (case-insensitive actions, wildcards, condition lookups).
package iampolicy

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iamdata"
)

// Kind is what a policy document governs.
type Kind uint8

// Document kinds.
const (
	// Identity policies attach to roles, users, groups and permission sets.
	Identity Kind = iota
	// Trust policies say who can assume a role (AssumeRolePolicyDocument).
	Trust
	// ResourcePolicy documents attach to a resource (bucket, queue, key, …).
	ResourcePolicy
	// DevicePolicy documents are AWS IoT Core policies: they grant IoT
	// actions to device certificates, not AWS API access to IAM principals,
	// so the identity-policy rules do not read them (IAM054 does).
	DevicePolicy
)

func (k Kind) String() string {
	switch k {
	case Identity:
		return "identity policy"
	case Trust:
		return "trust policy"
	case DevicePolicy:
		return "IoT policy"
	}
	return "resource policy"
}

// Document is one policy document.
type Document struct {
	LogicalID    string // the resource holding it
	ResourceType string
	// Locator names the document inside the resource for fingerprints and
	// messages: "PolicyDocument", "AssumeRolePolicyDocument",
	// "Policies[deploy]", "KeyPolicy", ….
	Locator string
	Kind    Kind
	Node    *cfn.Node // the document node (detached when parsed from a string)
	// At is the template node diagnostics point to: Node itself, or the
	// string that held the document as JSON.
	At         *cfn.Node
	Detached   bool
	Version    string
	Statements []*Statement
	// Problems lists shape errors found while normalizing (Statement: 42, …).
	Problems []Problem
}

// Problem is a shape error in a document.
type Problem struct {
	At  *cfn.Node
	Msg string
}

// Value is one policy value (an action, a resource, a principal, a
// condition value) with its symbolic text.
type Value struct {
	// Text is the symbolic rendering (cfn.Sym): literal text, or
	// arn:${AWS::Partition}:… with ${?} for unknown parts.
	Text string
	// Known is true when Text is a literal with no intrinsic part.
	Known bool
	Node  *cfn.Node
	// At is the template node to report on.
	At *cfn.Node
}

// IsStar reports whether the value is exactly "*".
func (v Value) IsStar() bool { return v.Known && v.Text == "*" }

// Principal is one principal of a statement.
type Principal struct {
	// Type is "*" (for Principal: "*"), "AWS", "Service", "Federated" or
	// "CanonicalUser" (as written).
	Type  string
	Value Value
}

// IsPublic reports whether the principal is everyone: "*" or {"AWS": "*"}.
func (p Principal) IsPublic() bool {
	return (p.Type == "*" || p.Type == "AWS" || p.Type == "CanonicalUser") && p.Value.IsStar()
}

// Condition is one condition key test: Operator → Key → Values.
type Condition struct {
	// Operator as written, e.g. "ForAnyValue:StringLikeIfExists".
	Operator string
	// Base is the operator without set prefix and IfExists: "StringLike".
	Base string
	// Set is "ForAllValues", "ForAnyValue" or "".
	Set      string
	IfExists bool
	Key      string
	Values   []Value
	// At is the node of the key (its value list) in the template.
	At *cfn.Node
	// OpAt is the operator's value node.
	OpAt *cfn.Node
}

// Statement is one normalized statement.
type Statement struct {
	// memo holds building blocks' per-statement results (Memo), and key
	// the statement's Key once computed.
	mu   sync.Mutex
	memo []memoEntry
	key  string

	Doc   *Document
	Index int
	Node  *cfn.Node
	At    *cfn.Node
	Sid   string
	// Effect is "Allow" or "Deny" as written (other spellings are kept).
	Effect   string
	EffectAt *cfn.Node

	Actions   []Value
	NotAction bool
	ActionAt  *cfn.Node // the Action/NotAction element (nil if absent)

	Resources   []Value
	NotResource bool
	ResourceAt  *cfn.Node

	Principals   []Principal
	NotPrincipal bool
	PrincipalAt  *cfn.Node

	Conditions  []Condition
	ConditionAt *cfn.Node
}

// Allow reports whether the statement allows.
func (s *Statement) Allow() bool { return s.Effect == "Allow" }

// Deny reports whether the statement denies.
func (s *Statement) Deny() bool { return s.Effect == "Deny" }

// Where names the statement for messages: `statement "Sid"` or `statement #3`.
func (s *Statement) Where() string {
	if s.Sid != "" {
		return fmt.Sprintf("statement %q", s.Sid)
	}
	return fmt.Sprintf("statement #%d", s.Index+1)
}

// Key identifies the statement for fingerprints without its index (indexes
// shift when statements are added): the Sid when unique in the document,
// else Effect|sorted principals|NotAction?|NotResource?|sorted actions.
func (s *Statement) Key() string {
	s.mu.Lock()
	k := s.key
	s.mu.Unlock()
	if k == "" {
		k = s.computeKey()
		s.mu.Lock()
		s.key = k
		s.mu.Unlock()
	}
	return k
}

func (s *Statement) computeKey() string {
	if s.Sid != "" {
		unique := true
		for _, o := range s.Doc.Statements {
			if o != s && o.Sid == s.Sid {
				unique = false
				break
			}
		}
		if unique {
			return "sid:" + s.Sid
		}
	}
	var ps []string
	for _, p := range s.Principals {
		ps = append(ps, p.Type+"="+p.Value.Text)
	}
	sort.Strings(ps)
	var as []string
	for _, a := range s.Actions {
		as = append(as, strings.ToLower(a.Text))
	}
	sort.Strings(as)
	k := s.Effect + "|" + strings.Join(ps, ",")
	if s.NotAction {
		k += "|NotAction"
	}
	if s.NotResource {
		k += "|NotResource"
	}
	// Conditions keep statements that differ only in them apart.
	var cs []string
	for _, c := range s.Conditions {
		var vs []string
		for _, v := range c.Values {
			vs = append(vs, v.Text)
		}
		cs = append(cs, c.Operator+":"+strings.ToLower(c.Key)+"="+strings.Join(vs, ","))
	}
	sort.Strings(cs)
	var rs []string
	for _, r := range s.Resources {
		rs = append(rs, r.Text)
	}
	sort.Strings(rs)
	return k + "|" + strings.Join(as, ",") + "|" + strings.Join(rs, ",") + "|" + strings.Join(cs, ";")
}

// Condition returns the conditions on key (case-insensitive, as IAM compares
// condition keys).
func (s *Statement) Condition(key string) []Condition {
	var out []Condition
	for _, c := range s.Conditions {
		if strings.EqualFold(c.Key, key) {
			out = append(out, c)
		}
	}
	return out
}

// HasCondition reports whether any of the keys is tested by the statement.
// A key may end in "*" to match a prefix ("aws:PrincipalTag/*").
func (s *Statement) HasCondition(keys ...string) bool {
	for _, c := range s.Conditions {
		if KeyIn(c.Key, keys) {
			return true
		}
	}
	return false
}

// KeyIn reports whether a condition key is one of keys, compared
// case-insensitively as IAM compares condition keys; a key of the list
// may end in "*" to match a prefix ("aws:PrincipalTag/*").
func KeyIn(key string, keys []string) bool {
	for _, k := range keys {
		if p, ok := strings.CutSuffix(k, "*"); ok {
			if len(key) >= len(p) && strings.EqualFold(key[:len(p)], p) {
				return true
			}
		} else if strings.EqualFold(key, k) {
			return true
		}
	}
	return false
}

// HasAction reports whether the statement's Action list (not NotAction)
// contains a value matching action by IAM wildcard semantics.
func (s *Statement) HasAction(action string) bool {
	if s.NotAction {
		return false
	}
	for _, a := range s.Actions {
		if a.Known && MatchWildcard(a.Text, action) {
			return true
		}
	}
	return false
}

// AllResources reports whether the statement applies to every resource:
// Resource "*" (or an ARN that is all wildcards), or NotResource.
func (s *Statement) AllResources() bool {
	if s.NotResource {
		return true
	}
	for _, r := range s.Resources {
		if r.IsStar() {
			return true
		}
	}
	return false
}

// MatchWildcard matches IAM patterns with * and ? case-insensitively.
func MatchWildcard(pattern, s string) bool {
	if !isASCII(pattern) || !isASCII(s) {
		return iamdata.MatchFold(strings.ToLower(pattern), strings.ToLower(s))
	}
	return iamdata.MatchFold(pattern, s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// ServiceOf returns the lower-cased service prefix of an action ("s3" for
// "S3:GetObject"), or "" when there is no colon.
func ServiceOf(action string) string {
	svc, _, ok := strings.Cut(action, ":")
	if !ok {
		return ""
	}
	return strings.ToLower(svc)
}

// Memo returns the value compute returns for key, computing it once per
// statement: building blocks (scope.Of) that several rules call on the
// same statement share one result. The result must not be modified.
// compute receives s, so that callers can pass a function that captures
// nothing and a memoized call allocates nothing.
func (s *Statement) Memo(key any, compute func(*Statement) any) any {
	s.mu.Lock()
	for _, e := range s.memo {
		if e.key == key {
			s.mu.Unlock()
			return e.value
		}
	}
	s.mu.Unlock()
	v := compute(s)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.memo {
		if e.key == key {
			return e.value // computed meanwhile by another goroutine: keep the first
		}
	}
	s.memo = append(s.memo, memoEntry{key, v})
	return v
}

// memoEntry is one Memo result. A statement holds a few (one per building
// block that memoizes), so a slice beats a map.
type memoEntry struct {
	key, value any
}
