// Package iam062 defines IAM062 (policy-version-or-sid).
package iam062

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `missing or old policy Version, or invalid or duplicate Sid

A policy document without a Version element is evaluated as version
2008-10-17, as is one that names that version. The old version does not
substitute policy variables: "arn:aws:s3:::home/${aws:username}/*" is then
the literal text "${aws:username}", so a statement meant to confine each
user to their own prefix matches nothing, or a Deny written with a variable
never applies. AWS's IAM guidance is to always write "Version":
"2012-10-17". Findings are medium when the document uses policy variables
and low otherwise; a Version that is neither date is rejected by IAM.

Statement ids must be unique within a document (IAM and several services
reject duplicates, and tools that address statements by Sid act on the
wrong one), and IAM policies (identity policies and role trust policies)
accept only ASCII letters and digits in a Sid. CDK always writes Version
2012-10-17; these findings come from hand-written or imported documents.`

// Rule is IAM062.
var Rule = rules.Register(&rules.Rule{
	Slug:     "policy-version-or-sid",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Aliases:  []string{"W2511", "W2512"},
	CWE:      []string{"CWE-1286"},
	Fix:      `Start every policy document with "Version": "2012-10-17" and give statements unique ids made of letters and digits.`,
	Bad:      "iam.PolicyDocument.fromJson({ Statement: [{ Sid: 'own-home', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' }] });",
	Good:     "iam.PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Sid: 'OwnHome', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' }] });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM062",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

const (
	current = "2012-10-17"
	old     = "2008-10-17"
)

// policyVar matches a policy variable such as ${aws:username} or
// ${saml:sub}, and not an intrinsic rendered by cfn.Sym (${AWS::Region},
// ${Bucket.Arn}, ${Import:Name}; see usesVariables).
//
// policyVar is the regular expression \$\{([A-Za-z0-9./-]+):[A-Za-z],
// written out because it runs on every resource and condition value: it
// returns the index of the first match at or after from and the end of
// its group, or -1.
func policyVar(s string, from int) (start, prefixEnd int) {
	for {
		i := strings.Index(s[from:], "${")
		if i < 0 {
			return -1, -1
		}
		start = from + i
		j := start + 2
		for j < len(s) && (isAlnum(s[j]) || s[j] == '.' || s[j] == '/' || s[j] == '-') {
			j++
		}
		if j > start+2 && j+1 < len(s) && s[j] == ':' && isLetter(s[j+1]) {
			return start, j
		}
		from = start + 2
	}
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool  { return isLetter(c) || '0' <= c && c <= '9' }

var sidRe = regexp.MustCompile(`^[A-Za-z0-9]*$`)

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, d := range m.Documents {
		if d.Node == nil || d.Node.Kind != cfn.Object || len(d.Statements) == 0 {
			continue // an intrinsic or broken document: nothing to say about its version
		}
		if d.ResourceType == "AWS::Events::EventBusPolicy" {
			continue // a single statement, not a document
		}
		version(pass, m, d)
		sids(pass, m, d)
	}
	return nil, nil
}

func version(pass *analysis.Pass, m *stackmodel.Model, d *iampolicy.Document) {
	vn := d.Node.Get("Version")
	v, literal := vn.Literal()
	if vn != nil && !literal {
		return // an intrinsic: not judged
	}
	where := m.Describe(d)
	at := d.At
	if vn != nil && !d.Detached {
		at = vn
	}
	variable := usesVariables(d)
	sev, effect := rules.Low, ""
	if variable != "" {
		sev = rules.Medium
		effect = fmt.Sprintf(": its policy variables (%s) are not substituted, so the statements using them match the literal text", variable)
	}
	switch v {
	case current:
		return
	case "":
		if vn != nil {
			break
		}
		rules.Report(pass, rules.Diag{
			At: at, Locator: d.Locator, Evidence: "Version:missing", Severity: sev,
			Message: fmt.Sprintf(`%s has no Version, so IAM evaluates it as version %s%s; add "Version": %q`, where, old, effect, current),
		})
		return
	case old:
		rules.Report(pass, rules.Diag{
			At: at, Locator: d.Locator, Evidence: "Version:" + old, Severity: sev,
			Message: fmt.Sprintf(`%s uses the old policy language version %s%s; use %q`, where, old, effect, current),
		})
		return
	}
	rules.Report(pass, rules.Diag{
		At: at, Locator: d.Locator, Evidence: "Version:" + v,
		Message: fmt.Sprintf(`%s has Version %q, which IAM rejects: the only versions are %q and %q`, where, v, current, old),
	})
}

// usesVariables returns the first policy variable the document's
// resources or condition values use, "" if none.
func usesVariables(d *iampolicy.Document) string {
	for _, st := range d.Statements {
		vals := st.Resources
		if len(st.Conditions) > 0 || len(st.Principals) > 0 {
			vals = append([]iampolicy.Value(nil), st.Resources...)
			for _, c := range st.Conditions {
				vals = append(vals, c.Values...)
			}
			for _, p := range st.Principals {
				vals = append(vals, p.Value)
			}
		}
		for _, v := range vals {
			for from := 0; ; {
				start, prefixEnd := policyVar(v.Text, from)
				if start < 0 {
					break
				}
				if v.Text[start+2:prefixEnd] == "Import" {
					from = prefixEnd
					continue // Fn::ImportValue as cfn.Sym renders it
				}
				end := start + len("${")
				for end < len(v.Text) && v.Text[end] != '}' {
					end++
				}
				if end < len(v.Text) {
					end++
				}
				return v.Text[start:end]
			}
		}
	}
	return ""
}

// iamPolicy reports whether the document is an IAM policy, whose Sids IAM
// restricts to letters and digits.
func iamPolicy(d *iampolicy.Document) bool {
	switch d.ResourceType {
	case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
		"AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy", "AWS::SSO::PermissionSet":
		return true
	}
	return false
}

func sids(pass *analysis.Pass, m *stackmodel.Model, d *iampolicy.Document) {
	where := m.Describe(d)
	// Only statements listed directly in the document count towards
	// duplicates: those of the two branches of an Fn::If never coexist.
	direct := map[*cfn.Node]bool{}
	if list := d.Node.Get("Statement"); list != nil {
		if list.Kind == cfn.Object {
			direct[list] = true
		}
		if list.Kind == cfn.Array {
			for _, e := range list.Vals {
				direct[e] = true
			}
		}
	}
	seen := map[string]*iampolicy.Statement{}
	for _, st := range d.Statements {
		sn := st.Node.Get("Sid")
		if sn == nil || st.Sid == "" {
			continue
		}
		at := st.At
		if !d.Detached {
			at = sn
		}
		if iamPolicy(d) && !sidRe.MatchString(st.Sid) {
			rules.Report(pass, rules.Diag{
				At: at, Statement: st, Evidence: "Sid:" + st.Sid,
				Message: fmt.Sprintf("%s has Sid %q: IAM policies accept only ASCII letters and digits in a Sid and reject the policy", where, st.Sid),
			})
		}
		if !direct[st.Node] {
			continue
		}
		if first, dup := seen[st.Sid]; dup {
			rules.Report(pass, rules.Diag{
				At: at, Statement: st, Evidence: "DuplicateSid:" + st.Sid,
				Message: fmt.Sprintf("%s has two statements with Sid %q (statements #%d and #%d): statement ids must be unique within a policy", where, st.Sid, first.Index+1, st.Index+1),
			})
			continue
		}
		seen[st.Sid] = st
	}
}
