// Package iam021 defines IAM021 (policy-size-or-complexity-near-quota).
package iam021

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `policy size or count is near an iam quota

IAM limits how much policy an identity can carry: the inline policies of a
role may total 10,240 characters, of a group 5,120, of a user 2,048; a
managed policy 6,144 characters; a role trust policy 2,048 (the default
quota, which can be raised to 4,096); and an identity 10 attached managed
policies (the default quota, which can be raised to 20). IAM does not count
white space. A template above a quota fails to deploy, usually when one
more grant is added in a hurry; a policy near it is a sign that a role
does too many jobs, against AWS's advice to grant least privilege per
workload.

The rule measures each document as IAM does, as JSON without white space.
Values only known at deploy time are estimated at typical lengths: a
partition 3 characters, an account id 12, a region 9, a URL suffix 13, a
Ref to a resource or parameter 50, an Fn::GetAtt (usually an ARN) 80,
anything else 20; Fn::If counts its larger branch. The inline policies of a
role, user or group are added up: its Policies entries and every
AWS::IAM::Policy or Role/User/GroupPolicy attached to it (CloudFormation
writes those as inline policies). The rule warns at 90% of a quota and
reports on the largest document. CDK moves statements that do not fit into
overflow managed policies in recent versions; a DefaultPolicy near the
quota is still worth splitting by purpose.`

// Rule is IAM021.
var Rule = rules.Register(&rules.Rule{
	Slug:     "policy-size-or-complexity-near-quota",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Aliases:  []string{"W76", "E3502"},
	Fix:      "Split the role by job (one role per function or task), merge statements that share resources, and scope grants with resource ARN patterns instead of long lists; move shared statements into customer managed policies.",
	Bad:      "for (const t of tables) { t.grantReadWriteData(sharedRole); } // 80 tables, one role",
	Good:     "tables.forEach((t, i) => t.grantReadWriteData(new iam.Role(this, `Worker${i}`, { assumedBy })));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM021",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// IAM quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const (
	roleInlineQuota  = 10240
	groupInlineQuota = 5120
	userInlineQuota  = 2048
	managedQuota     = 6144
	trustQuota       = 2048
	trustQuotaMax    = 4096
	managedCount     = 10
	managedCountMax  = 20
)

var inlineQuota = map[stackmodel.PrincipalKind]int{stackmodel.Role: roleInlineQuota, stackmodel.Group: groupInlineQuota, stackmodel.User: userInlineQuota}

// near reports whether size is at least 90% of quota.
func near(size, quota int) bool { return size*10 >= quota*9 }

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, p := range m.Principals {
		var inline []*iampolicy.Document
		managed := 0
		seen := map[*iampolicy.Document]bool{}
		for _, d := range p.Policies {
			if seen[d] {
				continue // attached twice (Roles and ManagedPolicyArns): counts once
			}
			seen[d] = true
			if isInline(m, d) {
				inline = append(inline, d)
			} else {
				managed++
			}
		}
		managed += len(p.ManagedPolicyArns)
		checkInline(pass, m, p, inline)
		if managed >= managedCount {
			at := p.Resource.Prop("ManagedPolicyArns")
			if at == nil {
				at = p.Resource.Node.Get("Type")
			}
			rules.Report(pass, rules.Diag{
				At: at, Locator: "ManagedPolicyArns", Evidence: "managed policy count",
				Message: fmt.Sprintf("%s %s has %d managed policies attached; IAM allows %d per %s by default (up to %d on request): deploys fail above it, and a %s needing that many does too many jobs",
					p.Kind, p.Resource.Name(), managed, managedCount, p.Kind, managedCountMax, p.Kind),
			})
		}
		if p.Trust != nil {
			if n := Size(p.Trust.Node); near(n, trustQuota) {
				rules.Report(pass, rules.Diag{
					At: p.Trust.At, Locator: p.Trust.Locator, Evidence: "trust size",
					Message: fmt.Sprintf("role %s trust policy is about %d characters, %d%% of IAM's default %d-character quota for trust policies (it can be raised to %d): trust fewer principals per role or use conditions with wildcards",
						p.Resource.Name(), n, pct(n, trustQuota), trustQuota, trustQuotaMax),
				})
			}
		}
	}
	for _, d := range m.Documents {
		r := m.DocResource(d)
		if r == nil || d.Kind != iampolicy.Identity {
			continue
		}
		switch {
		case r.Type == "AWS::IAM::ManagedPolicy":
			if n := Size(d.Node); near(n, managedQuota) {
				rules.Report(pass, rules.Diag{
					At: d.At, Locator: d.Locator, Evidence: "managed size",
					Message: fmt.Sprintf("managed policy %s is about %d characters, %d%% of IAM's %d-character quota for a managed policy: split it by purpose",
						r.Name(), n, pct(n, managedQuota), managedQuota),
				})
			}
		case isInline(m, d) && len(m.PrincipalsOf(d)) == 0:
			// Attached only to roles, users or groups defined elsewhere:
			// the document alone against the smallest quota it must fit.
			quota, kind := 0, stackmodel.PrincipalKind("")
			for _, k := range []struct {
				prop string
				kind stackmodel.PrincipalKind
			}{{"Roles", stackmodel.Role}, {"Groups", stackmodel.Group}, {"Users", stackmodel.User}, {"RoleName", stackmodel.Role}, {"GroupName", stackmodel.Group}, {"UserName", stackmodel.User}} {
				if r.Prop(k.prop) != nil {
					quota, kind = inlineQuota[k.kind], k.kind
				}
			}
			if quota == 0 {
				continue
			}
			if n := Size(d.Node); near(n, quota) {
				rules.Report(pass, rules.Diag{
					At: d.At, Locator: d.Locator, Evidence: "inline size",
					Message: fmt.Sprintf("policy %s is about %d characters, %d%% of IAM's %d-character quota for the inline policies of a %s, before counting the others the %s already has: split it by purpose",
						r.Name(), n, pct(n, quota), quota, kind, kind),
				})
			}
		}
	}
	return nil, nil
}

func checkInline(pass *analysis.Pass, m *stackmodel.Model, p *stackmodel.Principal, docs []*iampolicy.Document) {
	quota := inlineQuota[p.Kind]
	type sized struct {
		d *iampolicy.Document
		n int
	}
	var all []sized
	total := 0
	for _, d := range docs {
		n := Size(d.Node)
		all = append(all, sized{d, n})
		total += n
	}
	if len(all) == 0 || !near(total, quota) {
		return
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].n > all[j].n })
	big := all[0]
	var related []rules.Related
	for _, s := range all[1:] {
		related = append(related, rules.Related{At: s.d.At, Message: fmt.Sprintf("%s: about %d characters", m.Describe(s.d), s.n)})
	}
	what := fmt.Sprintf("its %d inline policies total", len(all))
	if len(all) == 1 {
		what = "its inline policy is"
	}
	rules.Report(pass, rules.Diag{
		At: big.d.At, Locator: big.d.Locator, Evidence: "inline size",
		Related: related,
		Message: fmt.Sprintf("%s %s is near IAM's %d-character quota for the inline policies of a %s: %s about %d characters (%d%%), the largest %s with about %d; move statements into customer managed policies or split the %s by job",
			p.Kind, p.Resource.Name(), quota, p.Kind, what, total, pct(total, quota), m.Describe(big.d), big.n, p.Kind),
	})
}

// isInline reports whether a document becomes an inline policy of the
// principals it attaches to.
func isInline(m *stackmodel.Model, d *iampolicy.Document) bool {
	if strings.HasPrefix(d.Locator, "Policies[") {
		return true
	}
	r := m.DocResource(d)
	if r == nil {
		return false
	}
	switch r.Type {
	case "AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy":
		return true
	}
	return false
}

func pct(n, quota int) int { return n * 100 / quota }

// Size estimates the length IAM counts for a policy document: its JSON
// without white space, intrinsic values at typical lengths (see the rule
// documentation). A document given as a JSON string is measured as parsed.
func Size(n *cfn.Node) int {
	if n == nil {
		return 0
	}
	if n.Kind == cfn.String {
		if inner, err := cfn.ParseJSON([]byte(n.Str)); err == nil {
			return size(inner, 0)
		}
	}
	return size(n, 0)
}

func size(n *cfn.Node, depth int) int {
	if n == nil || depth > 64 {
		return 0
	}
	switch n.Kind {
	case cfn.Null:
		return 4
	case cfn.Bool, cfn.Number:
		return len(n.Str)
	case cfn.String:
		return str(n.Str)
	case cfn.Array:
		total := 2
		count := 0
		for _, e := range n.Vals {
			s := size(e, depth+1)
			if s == 0 {
				continue // AWS::NoValue
			}
			total += s
			count++
		}
		if count > 1 {
			total += count - 1
		}
		return total
	}
	if name, arg, ok := n.Intrinsic(); ok {
		switch name {
		case "Fn::If":
			if arg.Kind == cfn.Array && len(arg.Vals) == 3 {
				return max(size(arg.Vals[1], depth+1), size(arg.Vals[2], depth+1))
			}
		case "Ref":
			if s, _ := arg.Literal(); s == "AWS::NoValue" {
				return 0
			}
		}
		text, _ := cfn.Sym(n)
		return estimate(text) + 2
	}
	total := 2
	count := 0
	for i, k := range n.Keys {
		s := size(n.Vals[i], depth+1)
		if s == 0 {
			continue
		}
		total += str(k) + 1 + s
		count++
	}
	if count > 1 {
		total += count - 1
	}
	return total
}

// str is the length of a JSON string literal: its characters, escapes and
// quotes.
func str(s string) int {
	n := 2 + utf8.RuneCountInString(s)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			n++
		case c < 0x20:
			n += 5
		}
	}
	return n
}

// estimate returns the length of a symbolic rendering once deployed:
// literal text as is, ${…} placeholders at typical lengths. Policy
// variables (${aws:username}) stay as written: IAM sees them literally.
func estimate(text string) int {
	n := 0
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			return n + utf8.RuneCountInString(text)
		}
		n += utf8.RuneCountInString(text[:i])
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			return n + utf8.RuneCountInString(text[i:])
		}
		name := text[i+2 : i+j]
		text = text[i+j+1:]
		n += placeholder(name)
	}
}

func placeholder(name string) int {
	switch name {
	case "AWS::Partition":
		return 3
	case "AWS::AccountId":
		return 12
	case "AWS::Region":
		return 9
	case "AWS::URLSuffix":
		return 13
	case "?":
		return 20
	}
	switch {
	case strings.HasPrefix(name, "Import:"):
		return 50
	case strings.Contains(name, "::"):
		return 20 // another pseudo parameter
	case strings.Contains(name, ":"):
		return len(name) + 3 // a policy variable, kept literally
	case strings.Contains(name, "."):
		return 80 // Fn::GetAtt, usually an ARN
	}
	return 50 // Ref to a resource or parameter
}
