package exposure

import (
	"strings"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules/internal/trust"
)

// The public-principal judgement is IAM033's (rules/iam033), kept in step
// with it: a "*" principal is public unless a positive condition on a
// caller key names a specific organization, account or ARN, or a Deny in
// the same trust policy denies everyone outside them.

// callerKeys are the condition keys whose value identifies the caller.
// sts:ExternalId is chosen by the caller and does not pin "*".
var callerKeys = []string{
	"aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount",
	"aws:PrincipalArn", "aws:userid", "aws:SourceAccount", "aws:SourceArn",
	"aws:SourceOrgID", "aws:SourceOrgPaths",
}

func isCallerKey(key string) bool {
	for _, k := range callerKeys {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// callerPinned reports whether an Allow statement has a condition that
// pins the caller with values naming a specific organization, account or
// ARN.
func callerPinned(st *iampolicy.Statement) bool {
	for _, c := range trust.Pinning(st, callerKeys...) {
		like := c.Base != "StringEquals" && c.Base != "StringEqualsIgnoreCase"
		all := true
		for _, v := range c.Values {
			all = all && pinValue(strings.ToLower(c.Key), v, like)
		}
		if all {
			return true
		}
	}
	return false
}

// pinValue reports whether one condition value restricts the caller. An
// unresolvable value is taken as restricting.
func pinValue(key string, v iampolicy.Value, like bool) bool {
	if !v.Known || !like {
		return true
	}
	t := v.Text
	if trust.WildcardOnly(v) || strings.Trim(t, "*?") == "" {
		return false
	}
	switch key {
	case "aws:principalarn", "aws:sourcearn":
		parts := strings.SplitN(t, ":", 6)
		if len(parts) < 6 || !strings.EqualFold(parts[0], "arn") {
			return !strings.ContainsAny(t[:1], "*?")
		}
		account := parts[4]
		if account == "" {
			return strings.Trim(parts[5], "*?") != "" && !strings.ContainsAny(parts[5][:1], "*?")
		}
		return !strings.ContainsAny(account, "*?")
	case "aws:principalorgpaths", "aws:sourceorgpaths":
		org, _, _ := strings.Cut(t, "/")
		return org != "" && !strings.ContainsAny(org, "*?")
	case "aws:userid":
		id, _, _ := strings.Cut(t, ":")
		return id != "" && !strings.ContainsAny(id, "*?")
	}
	return !strings.ContainsAny(t, "*?")
}

// denyPinning returns a Deny statement of the trust policy that denies
// sts:AssumeRole to everyone whose caller key does not match, or nil.
func denyPinning(d *iampolicy.Document) *iampolicy.Statement {
	for _, st := range d.Statements {
		if !st.Deny() || st.NotPrincipal || st.NotAction || !st.HasAction("sts:AssumeRole") || len(st.Conditions) == 0 {
			continue
		}
		public := false
		for _, p := range st.Principals {
			public = public || p.IsPublic()
		}
		if !public {
			continue
		}
		all := true
		for _, c := range st.Conditions {
			all = all && negatedPin(c)
		}
		if all {
			return st
		}
	}
	return nil
}

func negatedPin(c iampolicy.Condition) bool {
	key := strings.ToLower(c.Key)
	if !isCallerKey(key) || c.Set != "" || len(c.Values) == 0 {
		return false
	}
	like := false
	switch c.Base {
	case "StringNotEquals", "StringNotEqualsIgnoreCase":
	case "StringNotLike", "ArnNotEquals", "ArnNotLike":
		like = true
	default:
		return false
	}
	for _, v := range c.Values {
		if trust.WildcardOnly(v) || !pinValue(key, v, like) {
			return false
		}
	}
	return true
}

var networkKeys = map[string]bool{
	"aws:sourceip":    true,
	"aws:sourcevpc":   true,
	"aws:sourcevpce":  true,
	"aws:vpcsourceip": true,
}

// networkOnly reports whether the statement carries a positive network
// origin condition that is not "*" or 0.0.0.0/0.
func networkOnly(st *iampolicy.Statement) bool {
	for _, c := range st.Conditions {
		if !networkKeys[strings.ToLower(c.Key)] || c.IfExists || c.Set == "ForAllValues" {
			continue
		}
		switch c.Base {
		case "IpAddress", "StringEquals", "StringLike":
		default:
			continue
		}
		for _, v := range c.Values {
			if trust.WildcardOnly(v) || (v.Known && (v.Text == "0.0.0.0/0" || v.Text == "::/0")) {
				return false
			}
		}
		if len(c.Values) > 0 {
			return true
		}
	}
	return false
}
