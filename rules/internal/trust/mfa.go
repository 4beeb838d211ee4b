package trust

import (
	"strings"

	"github.com/iamvet/iamvet/internal/iampolicy"
)

// MFA condition keys.
const (
	MFAPresentKey = "aws:MultiFactorAuthPresent"
	MFAAgeKey     = "aws:MultiFactorAuthAge"
)

// IsMFAKey reports whether key is aws:MultiFactorAuthPresent or
// aws:MultiFactorAuthAge (case-insensitive).
func IsMFAKey(key string) bool {
	return strings.EqualFold(key, MFAPresentKey) || strings.EqualFold(key, MFAAgeKey)
}

// Sessions is a set of request kinds, as far as the MFA keys tell them
// apart. AWS sets aws:MultiFactorAuthPresent only in requests signed with
// temporary credentials (true when they were obtained with MFA, false
// otherwise) and aws:MultiFactorAuthAge only when MFA was used; requests
// signed with long-term access keys carry neither key.
type Sessions uint8

// Request kinds.
const (
	// MFASession: temporary credentials obtained with MFA
	// (MultiFactorAuthPresent true, MultiFactorAuthAge set).
	MFASession Sessions = 1 << iota
	// NoMFASession: temporary credentials without MFA (a role session,
	// GetSessionToken without MFA): MultiFactorAuthPresent false, no age.
	NoMFASession
	// LongTermKeys: an IAM user's (or the root user's) access keys: no MFA
	// key at all. An IAM user calling sts:AssumeRole with access keys is
	// such a request.
	LongTermKeys

	// AllSessions is every kind of request.
	AllSessions = MFASession | NoMFASession | LongTermKeys
)

// Has reports whether s includes every kind of t.
func (s Sessions) Has(t Sessions) bool { return s&t == t }

func (s Sessions) String() string {
	var parts []string
	if s&MFASession != 0 {
		parts = append(parts, "mfa")
	}
	if s&NoMFASession != 0 {
		parts = append(parts, "no-mfa")
	}
	if s&LongTermKeys != 0 {
		parts = append(parts, "long-term-keys")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

// MFASessions returns the request kinds an MFA condition matches. ok is
// false when c is not on an MFA key or cannot be evaluated: a set operator
// (ForAllValues:/ForAnyValue:), an unexpected operator, an unknown or
// non-boolean value.
//
//	aws:MultiFactorAuthPresent  Bool true         → MFASession
//	                            Bool false        → NoMFASession
//	                            BoolIfExists true → MFASession|LongTermKeys
//	                            BoolIfExists false→ NoMFASession|LongTermKeys
//	                            Null true         → LongTermKeys
//	                            Null false        → MFASession|NoMFASession
//	aws:MultiFactorAuthAge      Numeric*          → MFASession
//	                            Numeric*IfExists  → AllSessions
//	                            Null true         → NoMFASession|LongTermKeys
//	                            Null false        → MFASession
//
// StringEquals/StringEqualsIgnoreCase on MultiFactorAuthPresent behave as
// Bool. Several values are alternatives (their union). Boolean values may
// be strings ("true") or YAML/JSON booleans, in any case.
func MFASessions(c iampolicy.Condition) (s Sessions, ok bool) {
	if c.Set != "" || len(c.Values) == 0 {
		return 0, false
	}
	present := strings.EqualFold(c.Key, MFAPresentKey)
	age := strings.EqualFold(c.Key, MFAAgeKey)
	if !present && !age {
		return 0, false
	}
	base := c.Base
	if strings.EqualFold(base, "Null") {
		if c.IfExists {
			return 0, false
		}
		for _, v := range c.Values {
			b, ok := boolValue(v)
			if !ok {
				return 0, false
			}
			switch {
			case present && b:
				s |= LongTermKeys
			case present:
				s |= MFASession | NoMFASession
			case b:
				s |= NoMFASession | LongTermKeys
			default:
				s |= MFASession
			}
		}
		return s, true
	}
	if age {
		if !strings.HasPrefix(strings.ToLower(base), "numeric") {
			return 0, false
		}
		if c.IfExists {
			return AllSessions, true
		}
		return MFASession, true
	}
	if !strings.EqualFold(base, "Bool") && !strings.EqualFold(base, "StringEquals") && !strings.EqualFold(base, "StringEqualsIgnoreCase") {
		return 0, false
	}
	for _, v := range c.Values {
		b, ok := boolValue(v)
		if !ok {
			return 0, false
		}
		if b {
			s |= MFASession
		} else {
			s |= NoMFASession
		}
	}
	if c.IfExists {
		s |= LongTermKeys
	}
	return s, true
}

// BoolValue reads a condition value as a boolean ("true", "false", in any
// case, or a YAML/JSON boolean). ok is false for anything else.
func BoolValue(v iampolicy.Value) (b, ok bool) { return boolValue(v) }

func boolValue(v iampolicy.Value) (bool, bool) {
	if !v.Known {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(v.Text)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// MFA returns the request kinds a statement applies to as far as its MFA
// conditions tell (the intersection over its MFA conditions: all must
// hold). has is false when the statement has no MFA condition; ok is false
// when one of them cannot be evaluated (see MFASessions).
func MFA(st *iampolicy.Statement) (s Sessions, has, ok bool) {
	s = AllSessions
	for _, c := range st.Conditions {
		if !IsMFAKey(c.Key) {
			continue
		}
		has = true
		cs, cok := MFASessions(c)
		if !cok {
			return 0, true, false
		}
		s &= cs
	}
	return s, has, true
}

// RequiresMFA reports whether st applies only to requests made with MFA:
// its MFA conditions leave MFASession and nothing else. Bool true,
// NumericLessThan aws:MultiFactorAuthAge and Null false on
// MultiFactorAuthAge qualify; BoolIfExists true does not (it also matches
// long-term access keys), nor does Null true (it matches only requests
// without MFA).
func RequiresMFA(st *iampolicy.Statement) bool {
	s, has, ok := MFA(st)
	return has && ok && s == MFASession
}

// Applies reports whether an Allow statement's MFA conditions let any of
// the request kinds in kinds through. Statements without MFA conditions,
// or with conditions that cannot be evaluated, apply to every kind.
func Applies(st *iampolicy.Statement, kinds Sessions) bool {
	s, _, ok := MFA(st)
	if !ok {
		return true
	}
	return s&kinds != 0
}
