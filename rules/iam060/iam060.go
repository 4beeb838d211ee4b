// Package iam060 defines IAM060 (condition-misuse).
//
// The rule runs a list of checks (Checks) over every statement of every
// policy document. Each check returns Misuses: the condition value at
// fault, a severity and a message. The checks: the MFA anti-patterns,
// ForAllValues: on a single-valued key, ForAnyValue: with a negated
// operator, operators that do not fit their key or values, and keys no
// action of the statement supports. A new check is one function added to
// Checks. Other rules call Find or MFAMisuses to stay silent where IAM060
// already speaks.
package iam060

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `policy condition does not test what it appears to test

A condition that uses the wrong operator for a key silently changes who a
statement applies to. The classic case is MFA. AWS sets
aws:MultiFactorAuthPresent only in requests signed with temporary
credentials; requests signed with an IAM user's long-term access keys carry
no such key. So a Deny with Bool aws:MultiFactorAuthPresent "false" never
applies to access keys (AWS's documented guardrail uses BoolIfExists), an
Allow with BoolIfExists aws:MultiFactorAuthPresent "true" is satisfied by
access keys without MFA (an Allow must use Bool), and a Null test on the key
with the wrong value inverts the check: Null "true" in an Allow matches only
callers without MFA. These findings are high.

Set operators are the other trap. ForAllValues: is true when every value of
the key in the request matches, and so also when the request carries no
such key: ForAllValues:StringEquals on a single-valued key such as
aws:PrincipalOrgID or aws:SourceAccount lets in every request that lacks the
key (medium; high when it is the only condition on a public principal).
ForAnyValue: with a negated operator (ForAnyValue:StringNotEquals on
aws:TagKeys) in an Allow matches as soon as one value is not listed, even
when another is (medium).

An operator must fit its key and values: a Numeric, Date, Bool, IpAddress or
Arn operator on a key of another type, or a value the operator cannot read
(Bool "yes", DateGreaterThan "tomorrow", IpAddress "office"), never matches
as written (medium); a String operator on a Bool, Numeric, Date or IP key
compares text (low); an unknown operator is rejected (low). Key types come
from the documented types of the global keys and a few common service keys;
other keys only have their values checked. A condition key
that none of the statement's actions supports, such as a misspelt
s3:x-amz-acls or an aws: key that is not a global key, is never in the
request, so the condition is never satisfied (low). Keys of identity
providers and keys of other services that exist are not judged.

AWS's IAM guidance ("Configuring MFA-protected API access", "Single-valued
vs. multivalued context keys", "IAM JSON policy elements: Condition
operators", "AWS global condition context keys") describes these semantics.`

// Rule is IAM060.
var Rule = rules.Register(&rules.Rule{
	Slug:     "condition-misuse",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	CWE:      []string{"CWE-697", "CWE-308"},
	Fix:      `Use Bool aws:MultiFactorAuthPresent "true" in Allow statements and BoolIfExists aws:MultiFactorAuthPresent "false" in Deny statements; use plain operators (StringEquals) on single-valued keys, the operator family of the key's type, and keys the actions support.`,
	Bad:      "new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'], conditions: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } });",
	Good:     "new iam.PolicyStatement({ effect: iam.Effect.DENY, notActions: ['iam:*MFA*'], resources: ['*'], conditions: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM060",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// Misuse is one condition that does not test what it appears to test.
type Misuse struct {
	// Check names the check that found it ("mfa-bool-in-deny", …).
	Check string
	Cond  iampolicy.Condition
	// At is the offending node: the condition value.
	At *cfn.Node
	// Evidence is the minimal text for the fingerprint: "Bool:aws:MultiFactorAuthPresent=false".
	Evidence string
	// Severity of the finding (0: the rule's default).
	Severity rules.Severity
	// Message says what is wrong; the rule prefixes the statement's name.
	Message string
}

// A Check inspects one statement and returns what it finds.
type Check struct {
	Name string
	Fn   func(st *iampolicy.Statement) []Misuse
}

// Checks run on every statement, in order. Add new checks here.
var Checks = []Check{
	{Name: "mfa", Fn: MFAMisuses},
	{Name: "forallvalues-single-valued", Fn: ForAllValuesMisuses},
	{Name: "foranyvalue-negated", Fn: ForAnyValueNegatedMisuses},
	{Name: "operator-type", Fn: TypeMisuses},
	{Name: "unknown-key", Fn: UnknownKeyMisuses},
}

// Find runs every check on a statement.
func Find(st *iampolicy.Statement) []Misuse {
	var out []Misuse
	for _, c := range Checks {
		out = append(out, c.Fn(st)...)
	}
	return out
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements() {
		for _, mu := range Find(st) {
			rules.Report(pass, rules.Diag{
				At:        mu.At,
				Statement: st,
				Severity:  mu.Severity,
				Evidence:  mu.Evidence,
				Message:   m.Where(st) + " " + mu.Message,
			})
		}
	}
	return nil, nil
}

// MFAMisuses finds the MFA anti-patterns of a statement:
//
//   - Deny with Bool aws:MultiFactorAuthPresent "false": never applies to
//     long-term access keys (must be BoolIfExists);
//   - Allow with BoolIfExists aws:MultiFactorAuthPresent "true": satisfied by
//     long-term access keys without MFA (must be Bool);
//   - Allow with Null aws:MultiFactorAuthPresent "true": matches only
//     callers without MFA (inverted);
//   - Deny with Null aws:MultiFactorAuthPresent "false": denies MFA sessions
//     and never long-term access keys (inverted).
//
// The correct forms (Deny + BoolIfExists "false", Allow + Bool "true",
// Deny + Null "true") yield nothing. Values that are not booleans, set
// operators and unresolved values yield nothing.
func MFAMisuses(st *iampolicy.Statement) []Misuse {
	if !st.Allow() && !st.Deny() {
		return nil
	}
	var out []Misuse
	for _, c := range st.Condition(trust.MFAPresentKey) {
		if c.Set != "" {
			continue
		}
		isBool := strings.EqualFold(c.Base, "Bool")
		isNull := strings.EqualFold(c.Base, "Null") && !c.IfExists
		for _, v := range c.Values {
			b, ok := trust.BoolValue(v)
			if !ok {
				continue
			}
			mu := Misuse{Cond: c, At: v.At, Severity: rules.High,
				Evidence: fmt.Sprintf("%s:%s=%t", c.Operator, trust.MFAPresentKey, b)}
			switch {
			case st.Deny() && isBool && !c.IfExists && !b:
				mu.Check = "mfa-bool-in-deny"
				mu.Message = fmt.Sprintf(`denies only when %s is "false" (%s): requests signed with long-term access keys carry no MFA key, so the Deny never applies to them; use BoolIfExists`, c.Key, c.Operator)
			case st.Allow() && isBool && c.IfExists && b:
				mu.Check = "mfa-ifexists-in-allow"
				mu.Message = fmt.Sprintf(`allows when %s is "true" or absent (%s): requests signed with long-term access keys carry no MFA key, so the Allow works without MFA; use Bool`, c.Key, c.Operator)
			case st.Allow() && isNull && b:
				mu.Check = "mfa-null-inverted"
				mu.Message = fmt.Sprintf(`requires %s to be absent (Null "true"): only callers without MFA match and callers with MFA are refused, the inverse of an MFA check; use Bool %s "true"`, c.Key, trust.MFAPresentKey)
			case st.Deny() && isNull && !b:
				mu.Check = "mfa-null-inverted"
				mu.Message = fmt.Sprintf(`denies when %s is present (Null "false"): it denies callers with MFA and never applies to long-term access keys, the inverse of an MFA guardrail; use BoolIfExists %s "false"`, c.Key, trust.MFAPresentKey)
			default:
				continue
			}
			out = append(out, mu)
		}
	}
	return out
}
