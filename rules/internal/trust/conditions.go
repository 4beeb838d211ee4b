package trust

import (
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
)

// Condition key sets for Pins and Pinning. Keys ending in "/*" match any
// tag key ("aws:PrincipalTag/team").
var (
	// PinKeys are the keys that pin which principal, account or
	// organization a statement applies to.
	PinKeys = []string{
		"aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount",
		"aws:PrincipalArn", "aws:SourceAccount", "aws:SourceArn",
		"aws:SourceOrgID", "aws:SourceOrgPaths", "sts:ExternalId", "aws:userid",
		"aws:username",
	}
	// CrossAccountKeys are the keys that scope a cross-account trust:
	// sts:ExternalId for third parties (confused deputy), the organization
	// keys and aws:PrincipalArn for the organization's own accounts.
	// aws:PrincipalAccount is left out: it repeats the trusted account.
	CrossAccountKeys = []string{
		"sts:ExternalId", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
		"aws:PrincipalArn", "aws:SourceAccount", "aws:SourceArn",
		"aws:SourceOrgID", "aws:SourceOrgPaths", "aws:userid",
	}
	// IdentityKeys are the keys that narrow which identities inside a
	// trusted account may assume a role (a same-account root trust).
	IdentityKeys = []string{
		"aws:PrincipalArn", "aws:PrincipalTag/*", "aws:userid", "aws:username",
		"sts:ExternalId", "aws:SourceIdentity", "sts:SourceIdentity",
		"sts:RoleSessionName",
	}
)

// positiveOps are the operators (base, as split by iampolicy) whose
// matching values select the requests they name.
var positiveOps = []string{
	"StringEquals", "StringEqualsIgnoreCase", "StringLike",
	"ArnEquals", "ArnLike",
}

// Pins reports whether the condition c, on any of keys (PinKeys when none
// are given), narrows the request to the values it names: a positive
// operator (StringEquals, StringEqualsIgnoreCase, StringLike, ArnEquals,
// ArnLike, alone or with ForAnyValue:), without IfExists (an absent key
// would pass), not ForAllValues: (true when the key is absent), with at
// least one value and no wildcard-only value ("*", "?*"). Values that
// cannot be resolved (a parameter for an external id) count as pinning:
// rules never call an unknown value unsafe.
func Pins(c iampolicy.Condition, keys ...string) bool {
	if len(keys) == 0 {
		keys = PinKeys
	}
	if !iampolicy.KeyIn(c.Key, keys) {
		return false
	}
	if c.IfExists || strings.EqualFold(c.Set, "ForAllValues") {
		return false
	}
	ok := false
	for _, op := range positiveOps {
		ok = ok || strings.EqualFold(c.Base, op)
	}
	if !ok {
		return false
	}
	if len(c.Values) == 0 {
		// No readable value (an object, a null, an empty list): the
		// condition cannot be evaluated, and an unknown is never treated as
		// "matches everyone" — rules stay silent.
		return true
	}
	for _, v := range c.Values {
		if WildcardOnly(v) {
			return false
		}
	}
	return true
}

// Pinning returns the conditions of st that pin it (see Pins) on any of
// keys (PinKeys when none are given).
func Pinning(st *iampolicy.Statement, keys ...string) []iampolicy.Condition {
	var out []iampolicy.Condition
	for _, c := range st.Conditions {
		if Pins(c, keys...) {
			out = append(out, c)
		}
	}
	return out
}

// Pinned reports whether any condition of st pins it on any of keys
// (PinKeys when none are given).
func Pinned(st *iampolicy.Statement, keys ...string) bool {
	return len(Pinning(st, keys...)) > 0
}

// WildcardOnly reports whether a known condition value matches anything:
// it consists of "*" and "?" only (and has at least one "*"), or is empty.
func WildcardOnly(v iampolicy.Value) bool {
	if !v.Known {
		return false
	}
	t := strings.Trim(v.Text, "*?")
	return t == "" && (v.Text == "" || strings.Contains(v.Text, "*"))
}

// OpaqueConditions reports whether the statement's Condition element, or
// one of its operator blocks, is an intrinsic function (CDK CfnJson,
// Fn::If) or not an object: its keys are unknown until deploy time, so the
// statement cannot be judged.
func OpaqueConditions(st *iampolicy.Statement) bool { return opaque(st, false) }

// OpaqueConditionValues reports what OpaqueConditions does, and also
// whether the values of a condition key are chosen by an Fn::If.
func OpaqueConditionValues(st *iampolicy.Statement) bool { return opaque(st, true) }

func opaque(st *iampolicy.Statement, values bool) bool {
	c := st.Node.Get("Condition")
	if c == nil {
		return false
	}
	if _, _, ok := c.Intrinsic(); ok || c.Kind != cfn.Object {
		return true
	}
	for _, b := range c.Vals {
		if _, _, ok := b.Intrinsic(); ok || b.Kind != cfn.Object {
			return true
		}
		if !values {
			continue
		}
		for _, v := range b.Vals {
			if name, _, ok := v.Intrinsic(); ok && name == "Fn::If" {
				return true
			}
		}
	}
	return false
}

// KeyNames joins keys for messages: "sts:ExternalId, aws:PrincipalOrgID or
// aws:PrincipalArn".
func KeyNames(keys ...string) string {
	switch len(keys) {
	case 0:
		return ""
	case 1:
		return keys[0]
	}
	return strings.Join(keys[:len(keys)-1], ", ") + " or " + keys[len(keys)-1]
}
