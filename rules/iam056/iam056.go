// Package iam056 defines IAM056 (permission-set-inline-policy-wildcards).
package iam056

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `permission set policy grants wildcard actions

An IAM Identity Center permission set becomes an IAM role in every account
it is assigned to, so its policies deserve the least-privilege review of
any identity policy, multiplied by the number of accounts. This rule reads
the set's InlinePolicy (an object, or the JSON string CloudFormation also
accepts) and the customer managed policies it references
(CustomerManagedPolicyReferences) when they are defined in the same
template as AWS::IAM::ManagedPolicy resources with that name and path.
It reports Allow statements with Action "*" (administrator access on
every resource), Allow with NotAction, and service-wide wildcards
("s3:*", "iam:*") on every resource. AWS's IAM best practices ask for the
actions each job function needs on the resources it uses.

"*" or NotAction on every resource is critical, on named resources high;
a service-wide wildcard on every resource is graded by the service
(critical for iam, organizations and sso; high for services holding data,
keys or compute; medium otherwise), one step lower with a condition.`

// Rule is IAM056.
var Rule = rules.Register(&rules.Rule{
	Slug:     "permission-set-inline-policy-wildcards",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_62", "CKV_AWS_63"},
	CWE:      []string{"CWE-269", "CWE-732"},
	Fix:      "List the actions the job function needs on the resources it uses, in the inline policy or in a customer managed policy the set references.",
	Bad:      "new sso.CfnPermissionSet(this, 'Ops', { instanceArn, name: 'Ops', inlinePolicy: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } });",
	Good:     "new sso.CfnPermissionSet(this, 'Ops', { instanceArn, name: 'Ops', inlinePolicy: { Statement: [{ Effect: 'Allow', Action: ['cloudwatch:GetMetricData', 'logs:StartQuery'], Resource: '*' }] } });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM056",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// problem is one wildcard grant of a statement.
type problem struct {
	at       *cfn.Node
	evidence string
	sev      rules.Severity
	text     string // "allows every action (\"*\") on every resource"
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.ResourcesOfType("AWS::SSO::PermissionSet") {
		set := "permission set " + r.Name()
		if n, ok := r.Prop("Name").Literal(); ok && n != r.Name() {
			set += " (" + n + ")"
		}
		for _, d := range m.Documents {
			if d.LogicalID != r.LogicalID || d.Locator != "InlinePolicy" {
				continue
			}
			for _, st := range d.Statements {
				for _, p := range problems(st) {
					rules.Report(pass, rules.Diag{
						At: p.at, Statement: st, Severity: p.sev, Evidence: p.evidence,
						Message: fmt.Sprintf("%s inline policy %s %s: in every account the set is assigned to", set, st.Where(), p.text),
					})
				}
			}
		}
		for _, ref := range r.Prop("CustomerManagedPolicyReferences").Elems() {
			nameNode := ref.Get("Name")
			name, ok := nameNode.Literal()
			if !ok {
				continue
			}
			path := "/"
			if p := ref.Get("Path"); p != nil {
				if path, ok = p.Literal(); !ok {
					continue
				}
			}
			mp := managedPolicy(m, name, path)
			if mp == nil {
				continue
			}
			for _, d := range m.Documents {
				if d.LogicalID != mp.LogicalID {
					continue
				}
				for _, st := range d.Statements {
					for _, p := range problems(st) {
						rules.Report(pass, rules.Diag{
							At: nameNode, Severity: p.sev, Locator: "CustomerManagedPolicyReferences", Evidence: p.evidence,
							Message: fmt.Sprintf("%s references customer managed policy %s (%s), whose %s %s: in every account the set is assigned to",
								set, name, mp.Name(), st.Where(), p.text),
							Related: []rules.Related{{At: p.at, Message: "the wildcard in " + mp.Name()}},
						})
					}
				}
			}
		}
	}
	return nil, nil
}

// managedPolicy returns the in-template AWS::IAM::ManagedPolicy with the
// name and path (default "/") a reference names.
func managedPolicy(m *stackmodel.Model, name, path string) *stackmodel.Resource {
	for _, r := range m.ResourcesOfType("AWS::IAM::ManagedPolicy") {
		n, ok := r.Prop("ManagedPolicyName").Literal()
		if !ok || n != name {
			continue
		}
		p := "/"
		if pn := r.Prop("Path"); pn != nil {
			if p, ok = pn.Literal(); !ok {
				continue
			}
		}
		if normPath(p) == normPath(path) {
			return r
		}
	}
	return nil
}

func normPath(p string) string {
	p = strings.TrimSpace(p)
	if p == "" {
		return "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// problems returns the wildcard grants of an Allow statement.
func problems(st *iampolicy.Statement) []problem {
	if !st.Allow() {
		return nil
	}
	all := st.AllResources()
	on := "on every resource"
	if !all {
		on = "on " + rules.List(rules.Quoted(st.Resources), 3)
	}
	if st.NotAction {
		if len(st.Actions) == 0 || st.ActionAt == nil {
			return nil
		}
		sev := rules.High
		if all {
			sev = rules.Critical
		}
		return []problem{{st.ActionAt, "NotAction", sev,
			fmt.Sprintf("allows every action except %s (Allow with NotAction) %s", rules.List(rules.Quoted(st.Actions), 3), on)}}
	}
	var out []problem
	for _, a := range st.Actions {
		switch svc := wildcard.ServiceWide(a); {
		case wildcard.IsFull(a):
			sev, text := rules.High, fmt.Sprintf("allows every action (%q) %s", a.Text, on)
			if all {
				sev, text = rules.Critical, fmt.Sprintf("allows every action (%q) on every resource: administrator access", a.Text)
			}
			out = append(out, problem{a.At, a.Text, sev, text})
		case svc != "" && all:
			sev := wildcard.Sensitivity(svc)
			if !wildcard.Unconditioned(st) {
				sev = sev.Lower()
			}
			out = append(out, problem{a.At, a.Text, sev, fmt.Sprintf("allows every %s action (%q) on every resource", svc, a.Text)})
		}
	}
	return out
}
