// Package iam048 defines IAM048 (s3-bucket-policy-public).
package iam048

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

const doc = `bucket policy allows everyone without a pinning condition

An Allow statement in an S3 bucket policy whose principal is "*" (or
{"AWS": "*"}, or NotPrincipal) applies to every caller: any AWS account,
and for most actions anonymous requests too. Unless a condition pins the
caller (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce,
aws:SourceVpc, aws:SourceArn, aws:SourceAccount, …), the bucket's objects
can be read, or written and deleted, by anyone. aws:SecureTransport only
requires TLS and pins nothing. AWS's S3 security best practices ask to
block public access and grant access to named principals; Deny statements
with "*" (CDK enforceSSL) are guardrails and are not reported.

Write, delete and permission actions are critical; read-only access is high.`

// Rule is IAM048.
var Rule = rules.Register(&rules.Rule{
	Slug:     "s3-bucket-policy-public",
	Severity: rules.Critical,
	Since:    "v0.1.0",
	Aliases:  []string{"F16", "F15", "F9", "W20", "AwsSolutions-S2", "AwsSolutions-S5", "CKV_AWS_70"},
	CWE:      []string{"CWE-284", "CWE-732"},
	Fix:      "Grant the bucket to named principals (bucket.grantRead(role)), or add a condition such as aws:PrincipalOrgID or aws:SourceVpce; serve public content through CloudFront with origin access control.",
	Bad:      "bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));",
	Good:     "bucket.grantRead(new iam.OrganizationPrincipal('o-abc123def4'));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM048",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// pinKeys pin the caller of a bucket policy statement, on top of
// trust.PinKeys.
var pinKeys = append([]string{
	"aws:SourceVpce", "aws:SourceVpc", "s3:DataAccessPointAccount", "s3:DataAccessPointArn",
	"aws:SourceOwner",
}, trust.PinKeys...)

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, d := range m.Documents {
		if d.ResourceType != "AWS::S3::BucketPolicy" || d.Kind != iampolicy.ResourcePolicy {
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

// grade returns the severity of a public statement: high when every action
// is known to be List or Read, critical otherwise (write, delete,
// permission management, wildcards, NotAction, unknown actions).
func grade(st *iampolicy.Statement) (rules.Severity, string) {
	if st.NotAction || len(st.Actions) == 0 {
		return rules.Critical, "anyone can write, delete or change the bucket's data"
	}
	for _, a := range st.Actions {
		if !a.Known {
			return rules.Critical, "anyone can write, delete or change the bucket's data"
		}
		exp := iamdata.Expand(a.Text)
		if len(exp) == 0 {
			return rules.Critical, "anyone can write, delete or change the bucket's data"
		}
		for _, x := range exp {
			if x.Access != iamdata.List && x.Access != iamdata.Read {
				return rules.Critical, "anyone can write, delete or change the bucket's data"
			}
		}
	}
	return rules.High, "anyone can read the bucket's data"
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
