// Package iam050 defines IAM050 (kms-key-policy-public).
package iam050

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `key policy allows everyone without a pinning condition

An Allow statement in a KMS key policy whose principal is "*" (or
{"AWS": "*"}, or NotPrincipal) lets every AWS account use the key: decrypt
data encrypted under it, or with kms:* change the key policy and schedule
the key's deletion. Unless a condition pins the caller (kms:CallerAccount,
kms:ViaService, aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceArn,
…), the key protects nothing. AWS KMS best practices ask for key policies
that name the principals that use the key. The default key policy CDK
writes (the account root with kms:*) delegates to IAM in the same account
and is not public.

Statements that allow permission management (kms:*, kms:PutKeyPolicy,
kms:CreateGrant) are critical.`

// Rule is IAM050.
var Rule = rules.Register(&rules.Rule{
	Slug:     "kms-key-policy-public",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"F76", "CKV_AWS_33"},
	CWE:      []string{"CWE-284", "CWE-732"},
	Fix:      "Grant the key to named principals (key.grantDecrypt(role)), or pin the statement with kms:CallerAccount and kms:ViaService.",
	Bad:      "key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] }));",
	Good:     "key.grantDecrypt(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM050",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// pinKeys pin the caller of a key policy statement, on top of
// trust.PinKeys.
var pinKeys = append([]string{
	"kms:CallerAccount", "kms:ViaService", "kms:GranteePrincipal",
	"aws:SourceVpce", "aws:SourceVpc",
}, trust.PinKeys...)

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, d := range m.Documents {
		if d.ResourceType != "AWS::KMS::Key" || d.Kind != iampolicy.ResourcePolicy {
			continue
		}
		for _, st := range d.Statements {
			if !st.Allow() || pinned(st) {
				continue
			}
			sev, what := grade(st)
			for _, at := range publicAt(st) {
				rules.Report(pass, rules.Diag{
					At:        at.node,
					Statement: st,
					Severity:  sev,
					Evidence:  at.text,
					Message: fmt.Sprintf("%s allows %s to everyone (%s)%s: %s",
						m.Where(st), actions(st), at.text, conditionNote(st), what),
				})
			}
		}
	}
	return nil, nil
}

// publicRef is one public principal of a statement.
type publicRef struct {
	node *cfn.Node
	text string
}

// publicAt returns the public principals of an Allow statement: "*" or
// {"AWS": "*"} values, or the NotPrincipal element (Allow with NotPrincipal
// applies to everyone but the listed principals).
func publicAt(st *iampolicy.Statement) []publicRef {
	if st.NotPrincipal {
		if st.PrincipalAt == nil {
			return nil
		}
		return []publicRef{{st.PrincipalAt, "NotPrincipal"}}
	}
	var out []publicRef
	for _, p := range st.Principals {
		if !p.IsPublic() {
			continue
		}
		text := `"*"`
		if p.Type != "*" {
			text = fmt.Sprintf("%q: \"*\"", p.Type)
		}
		at := p.Value.At
		if at == nil {
			at = st.PrincipalAt
		}
		out = append(out, publicRef{at, text})
	}
	return out
}

// pinned reports whether a condition of st pins the caller: a positive
// match on a pinning key (see trust.Pins), or IpAddress on aws:SourceIp
// with a range narrower than the whole internet.
func pinned(st *iampolicy.Statement) bool {
	if trust.Pinned(st, pinKeys...) {
		return true
	}
	for _, c := range st.Conditions {
		if !strings.EqualFold(c.Key, "aws:SourceIp") || !strings.EqualFold(c.Base, "IpAddress") || c.IfExists || len(c.Values) == 0 {
			continue
		}
		narrow := true
		for _, v := range c.Values {
			if v.Known && (v.Text == "0.0.0.0/0" || v.Text == "::/0") {
				narrow = false
			}
		}
		if narrow {
			return true
		}
	}
	return false
}

// grade returns the severity of a public statement: critical when an
// action may be permission management (or cannot be told), high otherwise.
func grade(st *iampolicy.Statement) (rules.Severity, string) {
	critWhat := "anyone can use the key and change its policy or grants"
	if st.NotAction || len(st.Actions) == 0 {
		return rules.Critical, critWhat
	}
	for _, a := range st.Actions {
		if !a.Known {
			return rules.Critical, critWhat
		}
		exp := iamdata.Expand(a.Text)
		if len(exp) == 0 {
			return rules.Critical, critWhat
		}
		for _, x := range exp {
			if x.Access == iamdata.PermissionsManagement {
				return rules.Critical, critWhat
			}
		}
	}
	return rules.High, "anyone can use the key"
}

func actions(st *iampolicy.Statement) string {
	var parts []string
	for _, a := range st.Actions {
		parts = append(parts, a.Text)
	}
	s := strings.Join(parts, ", ")
	if st.NotAction {
		return "every action except " + s
	}
	return s
}

// conditionNote says why the statement's conditions, if any, do not help.
func conditionNote(st *iampolicy.Statement) string {
	if len(st.Conditions) == 0 {
		return " with no condition"
	}
	seen := map[string]bool{}
	var keys []string
	for _, c := range st.Conditions {
		if !seen[c.Key] {
			seen[c.Key] = true
			keys = append(keys, c.Key)
		}
	}
	return " with conditions (" + strings.Join(keys, ", ") + ") that do not pin the caller"
}
