package exposure

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/privesc"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// Level is what a principal can do, graded. The order of the constants is
// the order of power, except Unknown, which is lowest as a number.
type Level int

// Levels.
const (
	// Unknown: some permissions cannot be graded (a customer managed
	// policy defined elsewhere, an AWS managed policy iamvet does not
	// know, an unresolved action) and nothing graded reaches Write.
	Unknown Level = iota
	// None: no Allow statement applies.
	None
	// Read: List and Read actions only.
	Read
	// Write: other actions, but nothing below.
	Write
	// PermissionsManagement: an action of access level "Permissions
	// management" (s3:PutBucketPolicy, kms:PutKeyPolicy, lambda:AddPermission,
	// iam:CreatePolicy…) on every resource: the principal can change who
	// may access resources, and open them to anyone.
	PermissionsManagement
	// PrivilegeEscalation: a known escalation method (iam:* or
	// iam:PutRolePolicy, iam:AttachRolePolicy, iam:CreatePolicyVersion…,
	// iam:PassRole with a compute service it can create) on every
	// resource: the principal can make itself administrator.
	PrivilegeEscalation
	// Admin: "*" on every resource, Allow with NotAction on every
	// resource, AdministratorAccess or PowerUserAccess.
	Admin
)

var levelNames = [...]string{"unknown", "none", "read", "write", "permissions management", "privilege escalation", "admin"}

func (l Level) String() string { return levelNames[l] }

// Privileged reports whether the level is admin, privilege escalation or
// permissions management.
func (l Level) Privileged() bool { return l >= PermissionsManagement }

// Grant is what gives a principal its level.
type Grant struct {
	Level Level
	// What says what is granted: `"*" on every resource`, "every action
	// except iam:* on every resource", "iam:PutRolePolicy on every resource
	// (write any inline policy into a role, its own included)",
	// "s3:* on every resource, which includes s3:PutBucketPolicy,
	// s3:PutBucketAcl and 10 more permissions management actions".
	What string
	// Short is a few words for graph edges: the AWS managed policy name,
	// the action value (`"*"`, "iam:Put*", "s3:*"), "NotAction iam:*",
	// "iam:PassRole + ec2:RunInstances".
	Short string
	// Policy is where: `role App inline policy "p" statement #1`,
	// "AWS managed policy AmazonS3FullAccess".
	Policy string
	// Managed is the AWS managed policy name when the grant comes from one.
	Managed string
	// At is the template node that grants it: the action value (or the
	// NotAction element), or the managed policy ARN.
	At *cfn.Node
	// Statement is the granting statement (nil for AWS managed policies).
	Statement *iampolicy.Statement
	// Parts are the other parts of an escalation combination.
	Parts []Part
}

// Part is one more action of an escalation combination.
type Part struct {
	Action string
	Policy string
	At     *cfn.Node
}

// Capabilities is what a principal can do.
type Capabilities struct {
	Level Level
	// Grants are the grants at Level (Read and above), in policy order:
	// AWS managed policies after the in-stack policies.
	Grants []Grant
	// Ungraded names the policies that could not be graded.
	Ungraded []string
}

// Top returns the first grant at the principal's level, or nil.
func (c Capabilities) Top() *Grant {
	if len(c.Grants) == 0 {
		return nil
	}
	return &c.Grants[0]
}

// held is one statement a principal holds, with where it comes from.
type held struct {
	st      *iampolicy.Statement
	policy  string
	managed string
	arn     *cfn.Node // the managed policy ARN, for AWS managed policies
}

func (h held) at(n *cfn.Node) *cfn.Node {
	if h.arn != nil {
		return h.arn
	}
	return n
}

func (h held) grant(l Level, what, short string, at *cfn.Node) Grant {
	if h.managed != "" {
		short = h.managed
	}
	return Grant{Level: l, What: what, Short: short, Policy: h.policy, Managed: h.managed, At: h.at(at), Statement: h.stmt()}
}

func (h held) stmt() *iampolicy.Statement {
	if h.arn != nil {
		return nil
	}
	return h.st
}

// Capabilities grades what a principal can do in a session of the given
// kind: its in-stack policies (inline, AWS::IAM::Policy, in-stack managed
// policies, a user's groups' policies) and its AWS managed policies.
// Statements an unconditional Deny on every resource blocks do not count;
// conditional Denies, permission boundaries and SCPs are not subtracted.
func (a *Analysis) Capabilities(p *stackmodel.Principal, s Session) Capabilities {
	k := capKey{p, s}
	if c, ok := a.caps[k]; ok {
		return c
	}
	c := a.grade(p, s)
	a.caps[k] = c
	return c
}

func (a *Analysis) grade(p *stackmodel.Principal, s Session) Capabilities {
	m := a.Model
	var c Capabilities
	var allows, denies []held
	readOnly := []held{}
	add := func(h held) {
		switch {
		case h.st.Deny() && len(h.st.Conditions) == 0 && privesc.AllResources(h.st):
			denies = append(denies, h)
		case h.st.Allow() && trust.Applies(h.st, s.sessions()):
			allows = append(allows, h)
		}
	}
	seen := map[*iampolicy.Document]bool{}
	for _, d := range m.EffectivePolicies(p) {
		if seen[d] || d.Kind != iampolicy.Identity || privesc.Skipped(d) {
			continue
		}
		seen[d] = true
		for _, st := range d.Statements {
			add(held{st: st, policy: m.Where(st)})
		}
	}
	arns := append([]iampolicy.Value(nil), p.ManagedPolicyArns...)
	if p.Kind == stackmodel.User {
		for _, g := range p.Groups {
			if gp := m.Principal(g); gp != nil {
				arns = append(arns, gp.ManagedPolicyArns...)
			}
		}
	}
	for _, v := range arns {
		name := awsManagedName(v)
		switch {
		case name == "":
			c.Ungraded = append(c.Ungraded, "managed policy "+v.Text)
		case managedDoc(name) != nil:
			for _, st := range managedDoc(name).Statements {
				add(held{st: st, policy: "AWS managed policy " + name, managed: name, arn: v.At})
			}
		case readOnlyName(name):
			readOnly = append(readOnly, held{policy: "AWS managed policy " + name, managed: name, arn: v.At})
		default:
			c.Ungraded = append(c.Ungraded, "AWS managed policy "+name)
		}
	}
	g := grader{allows: allows, denies: denies}
	for _, step := range []func() []Grant{g.admin, g.escalation, g.permissions} {
		if gs := step(); len(gs) > 0 {
			c.Level, c.Grants = gs[0].Level, gs
			return c
		}
	}
	c.Level, c.Grants = g.writeRead(readOnly)
	if c.Level < Write && (len(c.Ungraded) > 0 || g.unknown) {
		c.Level, c.Grants = Unknown, nil
	}
	return c
}

type grader struct {
	allows, denies []held
	unknown        bool
}

// blocked reports whether an unconditional Deny on every resource covers
// the action.
func (g *grader) blocked(action string) bool {
	for _, h := range g.denies {
		st := h.st
		if st.NotAction {
			all := len(st.Actions) > 0
			for _, v := range st.Actions {
				if !v.Known || privesc.Covers(v, action) {
					all = false
				}
			}
			if all {
				return true
			}
			continue
		}
		for _, v := range st.Actions {
			if privesc.Covers(v, action) {
				return true
			}
		}
	}
	return false
}

// admin finds "*" or NotAction on every resource. Any unconditional Deny
// makes the question one for the finer grades below.
func (g *grader) admin() []Grant {
	if len(g.denies) > 0 {
		return nil
	}
	var out []Grant
	for _, h := range g.allows {
		st := h.st
		if !privesc.Unconstrained(st) {
			continue
		}
		if st.NotAction {
			known, full := true, false
			for _, v := range st.Actions {
				known = known && v.Known
				full = full || wildcard.IsFull(v)
			}
			if known && !full && len(st.Actions) > 0 {
				what := "every action except " + rules.List(rules.Texts(st.Actions), 3) + " on " + privesc.OnWhat(st)
				out = append(out, h.grant(Admin, what, "NotAction "+rules.List(rules.Texts(st.Actions), 2), st.ActionAt))
			}
			continue
		}
		for _, v := range st.Actions {
			if wildcard.IsFull(v) {
				out = append(out, h.grant(Admin, fmt.Sprintf("%q on %s", v.Text, privesc.OnWhat(st)), show(v.Text), v.At))
				break
			}
		}
	}
	return out
}

// covers returns what in an Allow statement grants the action: the value
// covering it, or the NotAction element when no NotAction value excludes
// it.
func covers(st *iampolicy.Statement, action string) (string, *cfn.Node, bool) {
	if st.NotAction {
		for _, v := range st.Actions {
			if !v.Known || privesc.Covers(v, action) {
				return "", nil, false
			}
		}
		return "every action except " + rules.List(rules.Texts(st.Actions), 3), st.ActionAt, len(st.Actions) > 0
	}
	for _, v := range st.Actions {
		if privesc.Covers(v, action) {
			return v.Text, v.At, true
		}
	}
	return "", nil, false
}

// escalation finds the known escalation methods (privesc.Single on one
// statement, privesc.Combos across the principal's statements).
func (g *grader) escalation() []Grant {
	var out []Grant
	for _, h := range g.allows {
		st := h.st
		if !privesc.Unconstrained(st) {
			continue
		}
		if !st.NotAction {
			if v, ok := takeover(st); ok && !g.blocked("iam:PutRolePolicy") && !g.blocked("iam:AttachRolePolicy") {
				what := fmt.Sprintf("%s on %s (full control of %s: it can grant itself any permission)", v.Text, privesc.OnWhat(st), strings.TrimSuffix(v.Text, ":*"))
				out = append(out, h.grant(PrivilegeEscalation, what, v.Text, v.At))
				continue
			}
		}
		for _, meth := range singles() {
			action := meth.Actions[0]
			text, at, ok := covers(st, action)
			if !ok || g.blocked(action) {
				continue
			}
			what := fmt.Sprintf("%s on %s", show(text), privesc.OnWhat(st))
			if !strings.EqualFold(text, action) {
				what += ", which includes " + action
			}
			what += " (it can " + meth.Does + ")"
			out = append(out, h.grant(PrivilegeEscalation, what, show(text), at))
			break
		}
	}
	for _, meth := range privesc.Combos {
		var first *Grant
		var parts []Part
		ok := true
		for i, action := range meth.Actions {
			h, text, at, found := g.findPart(action, meth)
			if !found || g.blocked(action) {
				ok = false
				break
			}
			if i == 0 {
				gr := h.grant(PrivilegeEscalation, "", "", at)
				first = &gr
				first.What = text
				continue
			}
			parts = append(parts, Part{Action: action, Policy: h.policy, At: h.at(at)})
		}
		if !ok {
			continue
		}
		names := make([]string, len(parts))
		for i, pt := range parts {
			names[i] = pt.Action
		}
		first.What = fmt.Sprintf("%s on every role with %s (it can %s)", meth.Actions[0], rules.List(names, 3), meth.Does)
		first.Parts = parts
		if first.Managed == "" {
			first.Short = meth.Actions[0] + " + " + strings.Join(names, " + ")
		}
		out = append(out, *first)
	}
	return out
}

// preferred are the single-action methods named first in messages: those
// that act on the role itself.
var preferred = []string{"PutRolePolicy", "AttachRolePolicy", "CreateNewPolicyVersion",
	"UpdateRolePolicyToAssumeIt", "SetExistingDefaultPolicyVersion", "DeleteRolePermissionsBoundary"}

// singles returns privesc.Single with the preferred methods first.
func singles() []*privesc.Method {
	out := make([]*privesc.Method, 0, len(privesc.Single))
	for _, name := range preferred {
		for _, m := range privesc.Single {
			if m.Name == name {
				out = append(out, m)
			}
		}
	}
	for _, m := range privesc.Single {
		found := false
		for _, name := range preferred {
			found = found || m.Name == name
		}
		if !found {
			out = append(out, m)
		}
	}
	return out
}

// takeover returns a service-wide wildcard on a service whose full
// control takes over the account (iam:*).
func takeover(st *iampolicy.Statement) (iampolicy.Value, bool) {
	for _, v := range st.Actions {
		if strings.EqualFold(wildcard.ServiceWide(v), "iam") {
			return v, true
		}
	}
	return iampolicy.Value{}, false
}

// findPart returns the first statement that allows action on every
// resource; for iam:PassRole an iam:PassedToService condition must let the
// role go to the method's service.
func (g *grader) findPart(action string, meth *privesc.Method) (held, string, *cfn.Node, bool) {
	passRole := strings.EqualFold(action, "iam:PassRole")
	for _, h := range g.allows {
		st := h.st
		if passRole {
			if !privesc.Unconstrained(st, "iam:PassedToService") || !privesc.PassesTo(st, meth.Service) {
				continue
			}
		} else if !privesc.Unconstrained(st) {
			continue
		}
		if text, at, ok := covers(st, action); ok {
			return h, text, at, true
		}
	}
	return held{}, "", nil, false
}

// permissions finds actions of access level Permissions management on
// every resource.
func (g *grader) permissions() []Grant {
	var out []Grant
	for _, h := range g.allows {
		st := h.st
		if !privesc.Unconstrained(st) {
			continue
		}
		if st.NotAction {
			known := true
			for _, v := range st.Actions {
				known = known && v.Known
			}
			if !known || len(st.Actions) == 0 {
				continue
			}
			var pm []*iamdata.Action
			for _, svc := range iamdata.Services() {
				for _, act := range svc.Actions {
					if privesc.Level(act) != iamdata.PermissionsManagement || g.blocked(act.FullName()) {
						continue
					}
					if _, _, ok := covers(st, act.FullName()); ok {
						pm = append(pm, act)
					}
				}
			}
			if len(pm) > 0 {
				out = append(out, h.grant(PermissionsManagement, pmWhat("every action except "+rules.List(rules.Texts(st.Actions), 3), st, pm), "NotAction "+rules.List(rules.Texts(st.Actions), 2), st.ActionAt))
			}
			continue
		}
		for _, v := range st.Actions {
			if !v.Known {
				continue
			}
			var pm []*iamdata.Action
			for _, act := range iamdata.Expand(strings.TrimSpace(v.Text)) {
				if privesc.Level(act) == iamdata.PermissionsManagement && !g.blocked(act.FullName()) {
					pm = append(pm, act)
				}
			}
			if len(pm) > 0 {
				out = append(out, h.grant(PermissionsManagement, pmWhat(show(v.Text), st, pm), show(v.Text), v.At))
			}
		}
	}
	return out
}

// pmWhat describes a permissions management grant, naming the
// resource-policy actions first (they open resources to others).
func pmWhat(value string, st *iampolicy.Statement, pm []*iamdata.Action) string {
	names := privesc.FullNames(pm)
	sortPM(names)
	what := value + " on " + privesc.OnWhat(st)
	if len(names) == 1 && strings.EqualFold(names[0], value) {
		return what + " (permissions management)"
	}
	n := len(names)
	if n > 3 {
		return fmt.Sprintf("%s, which includes %s and %d more permissions management action%s", what, strings.Join(names[:3], ", "), n-3, plural(n-3))
	}
	return fmt.Sprintf("%s, which includes the permissions management action%s %s", what, plural(n), rules.List(names, 3))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// headline are the permissions management actions that open resources to
// others, named first in messages.
var headline = []string{
	"s3:PutBucketPolicy", "s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutBucketPublicAccessBlock",
	"kms:PutKeyPolicy", "kms:CreateGrant", "lambda:AddPermission", "sqs:AddPermission",
	"sns:AddPermission", "sns:SetTopicAttributes", "ecr:SetRepositoryPolicy",
	"secretsmanager:PutResourcePolicy", "logs:PutResourcePolicy", "iam:CreatePolicy",
	"iam:CreatePolicyVersion", "iam:PutRolePolicy", "iam:AttachRolePolicy",
	"ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "ec2:CreateNetworkInterfacePermission",
	"events:PutPermission", "glue:PutResourcePolicy", "dynamodb:PutResourcePolicy",
	"organizations:AttachPolicy", "lambda:AddLayerVersionPermission",
}

// sortPM orders permissions management actions for examples: the
// headline ones first, then those that write a resource policy or ACL,
// then by length and name.
func sortPM(names []string) {
	rank := func(s string) int {
		for i, h := range headline {
			if strings.EqualFold(h, s) {
				return i
			}
		}
		l := strings.ToLower(s)
		switch {
		case strings.Contains(l, "policy") && (strings.Contains(l, ":put") || strings.Contains(l, ":set")):
			return len(headline)
		case strings.Contains(l, ":addpermission") || strings.Contains(l, "acl"):
			return len(headline) + 1
		}
		return len(headline) + 2
	}
	sort.SliceStable(names, func(i, j int) bool {
		ri, rj := rank(names[i]), rank(names[j])
		if ri != rj {
			return ri < rj
		}
		if len(names[i]) != len(names[j]) {
			return len(names[i]) < len(names[j])
		}
		return strings.ToLower(names[i]) < strings.ToLower(names[j])
	})
}

// writeRead grades what is left: Write when an allowed action (on any
// resource) is not List or Read, else Read, else None.
func (g *grader) writeRead(readOnly []held) (Level, []Grant) {
	var writes, reads []Grant
	for _, h := range g.allows {
		st := h.st
		if st.NotAction {
			writes = append(writes, h.grant(Write, "every action except "+rules.List(rules.Texts(st.Actions), 3), "NotAction "+rules.List(rules.Texts(st.Actions), 2), st.ActionAt))
			continue
		}
		for _, v := range st.Actions {
			if !v.Known {
				g.unknown = true
				continue
			}
			acts := iamdata.Expand(strings.TrimSpace(v.Text))
			if len(acts) == 0 {
				if iamdata.LookupService(iampolicy.ServiceOf(v.Text)) == nil {
					g.unknown = true
				}
				continue
			}
			write := false
			for _, act := range acts {
				if l := privesc.Level(act); l != iamdata.List && l != iamdata.Read && !g.blocked(act.FullName()) {
					write = true
					break
				}
			}
			if write {
				writes = append(writes, h.grant(Write, v.Text, v.Text, v.At))
			} else {
				reads = append(reads, h.grant(Read, v.Text, v.Text, v.At))
			}
		}
	}
	for _, h := range readOnly {
		reads = append(reads, h.grant(Read, "AWS managed policy "+h.managed, "", h.arn))
	}
	switch {
	case len(writes) > 0:
		return Write, writes
	case len(reads) > 0:
		return Read, reads
	}
	return None, nil
}

// show quotes a full wildcard ("*") for messages.
func show(text string) string {
	if strings.Trim(text, "*:") == "" {
		return fmt.Sprintf("%q", text)
	}
	return text
}
