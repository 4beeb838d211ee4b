// Package iam005 defines IAM005 (user-without-mfa-enforcement).
package iam005

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

const doc = `iam user or group is not forced to use mfa

AWS's IAM best practices ask for MFA on every IAM user that people sign in
with. IAM cannot require MFA by itself: the account has to attach a policy
that denies everything (except setting up MFA) unless the request was made
with MFA, the documented pattern being a Deny statement with
BoolIfExists aws:MultiFactorAuthPresent "false" (or Null
aws:MultiFactorAuthPresent "true").

IAM users with a console password or with permissions, and groups with
permissions and console users, are reported when no such Deny applies to
them, on the user, its groups in this stack or an in-stack permissions
boundary. A Deny with plain Bool aws:MultiFactorAuthPresent "false" does not
count: requests signed with long-term access keys carry no such key, so that
Deny never applies to them. Users in groups (or with policies) defined
outside the stack are reported at low severity, since those might enforce MFA;
so are users with permissions but no console password, which are usually
workloads better served by a role.`

// Rule is IAM005.
var Rule = rules.Register(&rules.Rule{
	Slug:     "user-without-mfa-enforcement",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"AWS-0123"},
	CWE:      []string{"CWE-308"},
	Fix:      "Attach a deny-unless-MFA policy (Deny with BoolIfExists aws:MultiFactorAuthPresent \"false\", as in AWS's force-MFA example) to the users' group, or move people to IAM Identity Center.",
	Bad:      "new iam.Group(this, 'Humans', { managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')] });",
	Good:     "new iam.Group(this, 'Humans', { managedPolicies: [readOnly, forceMfa] }); // forceMfa: Deny NotAction [mfa setup] when BoolIfExists aws:MultiFactorAuthPresent false",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM005",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// mfa is what the policies of a principal do about MFA, weakest first.
type mfa int

const (
	noDeny   mfa = iota // no deny-unless-MFA statement
	boolDeny            // a Deny with Bool aws:MultiFactorAuthPresent false only
	unknown             // a candidate Deny whose values or resources cannot be resolved
	enforced            // a Deny with BoolIfExists … false or Null … true
)

// verdict is the MFA state of a set of documents, with the broken Bool
// statement (for messages) when that is the best there is.
type verdict struct {
	state  mfa
	broken *iampolicy.Statement
	cond   *cfn.Node
}

const mfaKey = "aws:MultiFactorAuthPresent"

func classify(docs []*iampolicy.Document) verdict {
	var v verdict
	for _, d := range docs {
		for _, st := range d.Statements {
			if !st.Deny() {
				continue
			}
			s, cond := statementState(st)
			if s > v.state {
				v.state = s
				v.broken, v.cond = nil, nil
				if s == boolDeny {
					v.broken, v.cond = st, cond
				}
			}
		}
	}
	return v
}

// statementState grades one Deny statement.
func statementState(st *iampolicy.Statement) (mfa, *cfn.Node) {
	best, bestAt := noDeny, (*cfn.Node)(nil)
	for _, c := range st.Condition(mfaKey) {
		if c.Set != "" {
			continue
		}
		s := noDeny
		for _, val := range c.Values {
			if !val.Known {
				s = max(s, unknown)
				continue
			}
			switch {
			case c.Base == "Bool" && c.IfExists && strings.EqualFold(val.Text, "false"),
				c.Base == "Null" && !c.IfExists && strings.EqualFold(val.Text, "true"):
				s = max(s, enforced)
			case c.Base == "Bool" && !c.IfExists && strings.EqualFold(val.Text, "false"):
				s = max(s, boolDeny)
			}
		}
		if s > best {
			best, bestAt = s, c.At
		}
	}
	if best == noDeny {
		return noDeny, nil
	}
	// The Deny must cover every resource to force MFA; a Deny scoped to one
	// bucket protects that bucket only. Unresolvable resources: can't tell.
	if !st.AllResources() {
		for _, r := range st.Resources {
			if !r.Known {
				return unknown, bestAt
			}
		}
		return noDeny, nil
	}
	return best, bestAt
}

// awsManaged matches AWS managed policy ARNs, which never force MFA.
var awsManaged = regexp.MustCompile(`^arn:(aws[a-z-]*|\$\{AWS::Partition\}):iam::aws:policy/`)

func grants(docs []*iampolicy.Document) bool {
	for _, d := range docs {
		for _, st := range d.Statements {
			if st.Allow() {
				return true
			}
		}
	}
	return false
}

// outside lists what attaches to a principal from outside the stack and
// might enforce MFA: customer managed policies and permissions boundaries
// defined elsewhere.
func outside(arns []iampolicy.Value) []string {
	var out []string
	for _, a := range arns {
		if !awsManaged.MatchString(a.Text) {
			out = append(out, "policy "+a.Text)
		}
	}
	return out
}

// boundary returns the in-stack documents of a principal's permissions
// boundary, or a description of an external one.
func boundary(m *stackmodel.Model, r *stackmodel.Resource) ([]*iampolicy.Document, string) {
	n := r.Prop("PermissionsBoundary")
	if n == nil {
		return nil, ""
	}
	if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
		id, _ := arg.Literal()
		if mr := m.Resource(id); mr != nil && mr.Type == "AWS::IAM::ManagedPolicy" {
			var docs []*iampolicy.Document
			for _, d := range m.Documents {
				if d.LogicalID == id {
					docs = append(docs, d)
				}
			}
			return docs, ""
		}
	}
	text := cfn.SymString(n)
	if awsManaged.MatchString(text) {
		return nil, ""
	}
	return nil, "permissions boundary " + text
}

func hasLogin(r *stackmodel.Resource) bool {
	n := r.Prop("LoginProfile")
	return n != nil && n.Kind != cfn.Null
}

func at(r *stackmodel.Resource, nameProp string) *cfn.Node {
	if n := r.Prop(nameProp); n != nil {
		return n
	}
	return r.Node.Get("Type")
}

// userState is the MFA verdict of a user, and what outside the stack might
// change it.
func userState(m *stackmodel.Model, u *stackmodel.Principal) (verdict, []string) {
	docs := m.EffectivePolicies(u)
	bdocs, ext := boundary(m, u.Resource)
	v := classify(append(docs, bdocs...))
	var unseen []string
	for _, g := range u.ExternalGroups {
		unseen = append(unseen, "group "+g)
	}
	unseen = append(unseen, outside(u.ManagedPolicyArns)...)
	for _, gid := range u.Groups {
		if g := m.Principal(gid); g != nil {
			unseen = append(unseen, outside(g.ManagedPolicyArns)...)
		}
	}
	if ext != "" {
		unseen = append(unseen, ext)
	}
	return v, unseen
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, p := range m.Principals {
		switch p.Kind {
		case stackmodel.User:
			checkUser(pass, m, p)
		case stackmodel.Group:
			checkGroup(pass, m, p)
		}
	}
	return nil, nil
}

func checkUser(pass *analysis.Pass, m *stackmodel.Model, u *stackmodel.Principal) {
	console := hasLogin(u.Resource)
	perms := grants(m.EffectivePolicies(u)) || len(u.ManagedPolicyArns) > 0
	for _, gid := range u.Groups {
		if g := m.Principal(gid); g != nil && len(g.ManagedPolicyArns) > 0 {
			perms = true
		}
	}
	if !console && !perms {
		return
	}
	v, unseen := userState(m, u)
	if v.state >= unknown {
		return
	}
	what := "has permissions"
	if console {
		what = "has a console password"
		if perms {
			what += " and permissions"
		}
	}
	var groups []string
	for _, gid := range u.Groups {
		if g := m.Principal(gid); g != nil {
			groups = append(groups, g.Resource.Name())
		}
	}
	scope := "the user"
	if len(groups) > 0 {
		scope = "the user or its groups (" + strings.Join(groups, ", ") + ")"
	}
	sev := rules.Medium
	var msg string
	var related []rules.Related
	switch v.state {
	case boolDeny:
		msg = fmt.Sprintf("user %s %s and is not forced to use MFA: its MFA Deny uses Bool, which access keys bypass (%s): use BoolIfExists aws:MultiFactorAuthPresent \"false\"",
			u.Resource.Name(), what, m.Where(v.broken))
		related = append(related, rules.Related{At: v.cond, Message: "Bool aws:MultiFactorAuthPresent condition"})
	default:
		msg = fmt.Sprintf("user %s %s and no deny-unless-MFA policy on %s: attach a Deny with BoolIfExists aws:MultiFactorAuthPresent \"false\" (AWS's force-MFA example)",
			u.Resource.Name(), what, scope)
		if !console {
			sev = rules.Low
			msg += "; with no console password it is likely a workload, which should use a role instead"
		}
	}
	if len(unseen) > 0 {
		sev = rules.Low
		msg += "; " + strings.Join(unseen, ", ") + " defined outside this stack might enforce MFA"
	}
	rules.Report(pass, rules.Diag{
		At:       at(u.Resource, "UserName"),
		Message:  msg,
		Severity: sev,
		Locator:  "User",
		Evidence: mfaKey,
		Related:  related,
	})
}

func checkGroup(pass *analysis.Pass, m *stackmodel.Model, g *stackmodel.Principal) {
	if !grants(g.Policies) && len(g.ManagedPolicyArns) == 0 {
		return
	}
	v := classify(g.Policies)
	unseen := outside(g.ManagedPolicyArns)
	// A group is a container: its users carry the medium findings (and
	// IAM060 reports a broken Bool Deny on the policy itself), so the group
	// finding is informational.
	sev := rules.Low
	var msg string
	var related []rules.Related
	switch v.state {
	case enforced, unknown:
		return
	case boolDeny:
		msg = fmt.Sprintf("group %s is not forcing its users to use MFA: its MFA Deny uses Bool, which access keys bypass (%s): use BoolIfExists aws:MultiFactorAuthPresent \"false\"",
			g.Resource.Name(), m.Where(v.broken))
		related = append(related, rules.Related{At: v.cond, Message: "Bool aws:MultiFactorAuthPresent condition"})
	default:
		// Without a broken Deny showing intent, report a group only when it
		// grants permissions to console users that nothing else forces to MFA.
		var users []string
		for _, u := range g.Members {
			if !hasLogin(u.Resource) {
				continue
			}
			if uv, _ := userState(m, u); uv.state >= unknown {
				continue
			}
			users = append(users, u.Resource.Name())
			related = append(related, rules.Related{At: at(u.Resource, "UserName"), Message: "console user " + u.Resource.Name()})
		}
		if len(users) == 0 {
			return
		}
		msg = fmt.Sprintf("group %s grants permissions to console users (%s) and has no deny-unless-MFA policy: attach a Deny with BoolIfExists aws:MultiFactorAuthPresent \"false\" (AWS's force-MFA example) to the group",
			g.Resource.Name(), strings.Join(users, ", "))
	}
	if len(unseen) > 0 {
		sev = rules.Low
		msg += "; " + strings.Join(unseen, ", ") + " defined outside this stack might enforce MFA"
	}
	rules.Report(pass, rules.Diag{
		At:       at(g.Resource, "GroupName"),
		Message:  msg,
		Severity: sev,
		Locator:  "Group",
		Evidence: mfaKey,
		Related:  related,
	})
}
