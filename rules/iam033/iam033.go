// Package iam033 defines IAM033 (trust-public-principal). Its judgement of
// a public trust principal (GrantsAssume, CallerPinned, DenyPinning,
// NetworkOnly) is exported for IAM066's exposure analysis.
package iam033

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `role trust policy lets any AWS principal assume the role

A trust policy statement that allows Principal "*" or {"AWS": "*"} (CDK's
AnyPrincipal or ArnPrincipal('*')) lets every IAM user and role in every AWS
account call sts:AssumeRole on the role, unless a condition pins who the
caller is. AWS's IAM best practices ask to verify public and cross-account
access and to grant it only to principals you trust.

A condition pins the caller when it tests aws:PrincipalOrgID,
aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn, aws:userid,
aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or aws:SourceOrgPaths with
a positive operator (StringEquals, StringLike, ArnEquals, ArnLike, or their
ForAnyValue forms) and a value that is not a wildcard for the account or
organization. These do not pin: StringNotEquals and other negated operators,
…IfExists operators and ForAllValues (both pass when the key is absent from
the request), "*" and ARNs whose account is a wildcard
(arn:aws:iam::*:role/Admin: anyone can create a role with that name).
A Deny statement in the same trust policy that denies sts:AssumeRole to "*"
when aws:PrincipalOrgID (or another of those keys) does not match also pins
the caller. Conditions such as sts:ExternalId or aws:PrincipalTag do not:
the caller chooses them.

Statements that allow only sts:TagSession or sts:SetSourceIdentity let
nobody assume the role and are not reported. A statement restricted only
by network origin (aws:SourceIp, aws:SourceVpc, aws:SourceVpce) is high
rather than critical. Values that cannot be resolved statically
(parameters, imports) and conditions built at deploy time (CDK CfnJson)
are taken as pinning.`

// Rule is IAM033.
var Rule = rules.Register(&rules.Rule{
	Slug:     "trust-public-principal",
	Severity: rules.Critical,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_60", "f80e3aa7-7b34-4185-954e-440a6894dde6"},
	CWE:      []string{"CWE-284", "CWE-732"},
	Fix:      "Trust the accounts or roles that need the role (new iam.AccountPrincipal('123456789012')), or keep AnyPrincipal and pin the organization with withConditions({ StringEquals: { 'aws:PrincipalOrgID': 'o-…' } }).",
	Bad:      "new iam.Role(this, 'Role', { assumedBy: new iam.AnyPrincipal() });",
	Good:     "new iam.Role(this, 'Role', { assumedBy: new iam.AnyPrincipal().withConditions({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } }) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM033",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, d := range m.DocumentsOf(iampolicy.Trust) {
		denyPin := DenyPinning(d)
		for _, st := range d.Statements {
			if !st.Allow() || st.NotPrincipal || !GrantsAssume(st) {
				continue
			}
			if denyPin != nil || CallerPinned(st) || trust.OpaqueConditions(st) {
				continue
			}
			for _, p := range st.Principals {
				if !p.IsPublic() {
					continue
				}
				sev, note := rules.Critical, ""
				if others := otherConditions(st); len(others) > 0 {
					note = fmt.Sprintf("; its conditions (%s) do not restrict who the caller is", strings.Join(others, ", "))
					if NetworkOnly(st) {
						sev = rules.High
						note = fmt.Sprintf("; only its network conditions (%s) limit where the call comes from", strings.Join(others, ", "))
					}
				}
				rules.Report(pass, rules.Diag{
					At:        p.Value.At,
					Severity:  sev,
					Statement: st,
					Evidence:  "public-principal",
					Message: fmt.Sprintf("%s lets any AWS principal (%s) assume the role with no condition pinning the caller's organization, account or ARN: anyone in any AWS account can assume it%s",
						m.Where(st), RenderPublic(p), note),
				})
			}
		}
	}
	return nil, nil
}

// GrantsAssume reports whether a statement allows one of the AssumeRole
// actions (by name, wildcard or NotAction). Statements that only allow
// sts:TagSession or sts:SetSourceIdentity let nobody assume the role, and
// unresolvable actions are not judged.
func GrantsAssume(st *iampolicy.Statement) bool {
	assume := []string{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"}
	if st.NotAction {
		for _, a := range st.Actions {
			if !a.Known {
				return false
			}
		}
		for _, name := range assume {
			excluded := false
			for _, a := range st.Actions {
				excluded = excluded || iampolicy.MatchWildcard(a.Text, name)
			}
			if !excluded {
				return true
			}
		}
		return false
	}
	for _, name := range assume {
		if st.HasAction(name) {
			return true
		}
	}
	return false
}

// RenderPublic names a public principal for messages: `Principal "*"` or
// `{"AWS": "*"}`.
func RenderPublic(p iampolicy.Principal) string {
	if p.Type == "*" {
		return `Principal "*"`
	}
	return fmt.Sprintf(`{"%s": "*"}`, p.Type)
}

// callerKeys are the condition keys whose value identifies the caller (its
// organization, account or ARN). sts:ExternalId, which trust.PinKeys also
// lists, is chosen by the caller and does not pin a public principal.
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

// networkKeys restrict where a call comes from, not who makes it.
var networkKeys = map[string]bool{
	"aws:sourceip":    true,
	"aws:sourcevpc":   true,
	"aws:sourcevpce":  true,
	"aws:vpcsourceip": true,
}

// CallerPinned reports whether an Allow statement has a condition that
// pins the caller: trust.Pins (a positive operator, no IfExists, no
// ForAllValues, no wildcard-only value) on a caller key, with values that
// name a specific organization, account or ARN.
func CallerPinned(st *iampolicy.Statement) bool {
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
// unresolvable value is taken as restricting (we cannot know it).
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
			// S3 bucket ARNs carry no account: the bucket name pins.
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
	// Account and organization ids: a wildcard admits strangers.
	return !strings.ContainsAny(t, "*?")
}

// DenyPinning returns a Deny statement of the document that denies
// sts:AssumeRole to everyone whose caller key does not match (the
// "Deny unless in my organization" guardrail), or nil. Every condition of
// the Deny must be such a negated test (conditions are ANDed: any other
// condition would make the Deny apply only to some outsiders).
func DenyPinning(d *iampolicy.Document) *iampolicy.Statement {
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

// negatedPin reports whether a Deny condition is true for every caller
// outside the values it names: a negated operator (StringNotEquals,
// StringNotLike, ArnNotEquals, ArnNotLike; with or without IfExists, both
// true when the key is absent) on a caller key with pinning values.
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

// otherConditions lists the condition keys of a statement (which, since the
// statement is not pinned, do not restrict the caller).
func otherConditions(st *iampolicy.Statement) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range st.Conditions {
		k := c.Operator + " " + c.Key
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// NetworkOnly reports whether the statement carries a positive network
// origin condition (aws:SourceIp, aws:SourceVpc, …) that is not "*" or
// the whole internet (0.0.0.0/0, ::/0).
func NetworkOnly(st *iampolicy.Statement) bool {
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
