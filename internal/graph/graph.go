// Package graph builds the principal graph of a set of stacks — who can
// assume each role, which groups each user is in, and what each role, user
// and group can do — and draws it as a Mermaid flowchart (GitHub renders
// those in Markdown and job summaries) or a Graphviz digraph.
//
// Nodes are the stacks' roles, users and groups (one subgraph per stack),
// the principals outside the stacks that trust policies name (the public,
// accounts, services, OIDC, Cognito and SAML providers; shared by all
// stacks) and, per stack, one capability node per level held (admin,
// privilege escalation, permissions management, write, read, not graded).
// Edges are can-assume (trust), member-of (user to group) and has-policy
// (principal to its capability, labelled with the granting policy).
//
// An edge is risky when an exposed truster (the public, an OIDC provider
// without a pinned sub, a third party without ExternalId, unauthenticated
// Cognito identities; see package exposure) leads into a privileged
// principal: the attack path IAM066 reports. Risky edges are drawn red.
//
// The analysis is package exposure's, the same IAM066 uses.
package graph

import (
	"sort"
	"strings"

	"github.com/iamvet/iamvet/rules/iam066/exposure"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// NodeKind is the kind of a node.
type NodeKind string

// Node kinds.
const (
	Role       NodeKind = "role"
	User       NodeKind = "user"
	Group      NodeKind = "group"
	Public     NodeKind = "public"     // Principal "*"
	Account    NodeKind = "account"    // an account root
	Service    NodeKind = "service"    // a service principal
	Federated  NodeKind = "federated"  // OIDC, Cognito, SAML and other federated principals
	External   NodeKind = "external"   // a role, user or session ARN outside the stacks, a canonical user
	Capability NodeKind = "capability" // what principals can do (one per level and stack)
)

// EdgeKind is the kind of an edge.
type EdgeKind string

// Edge kinds.
const (
	CanAssume EdgeKind = "can-assume" // truster → role
	MemberOf  EdgeKind = "member-of"  // user → group
	HasPolicy EdgeKind = "has-policy" // principal → capability
)

// Graph is the principal graph of a set of stacks.
type Graph struct {
	Stacks []*Stack
	// Nodes are every node: per stack its principals (template order),
	// then its capability nodes (most powerful first), then the external
	// nodes sorted by key.
	Nodes []*Node
	Edges []*Edge
	// MaxPrincipals caps how many principals Mermaid (default
	// DefaultMaxPrincipals) and Dot (default: all) draw, riskiest first.
	MaxPrincipals int
}

// Stack is one stack's part of the graph.
type Stack struct {
	Name       string // display name ("Dev/SharedIam")
	ID         string // sanitized, unique
	Principals []*Node
	// Local are nodes drawn inside the stack: capability nodes and "this
	// account" (${AWS::AccountId}, whose value depends on the stack).
	Local []*Node
}

// Node is a vertex of the graph.
type Node struct {
	ID    string // sanitized, unique in the graph
	Kind  NodeKind
	Label string
	// Stack is the stack of principals and local nodes (nil for external
	// nodes).
	Stack *Stack
	// LogicalID and ConstructPath name a principal's resource; Internal
	// says when CDK generated it.
	LogicalID     string
	ConstructPath string
	Internal      string
	// Level is a principal's grade (capability nodes: the level they
	// stand for).
	Level exposure.Level
	// Exposure is how far outside the account a principal can be
	// assumed from (the worst of its paths); Who says by whom ("any
	// GitHub Actions workflow in any repository") and Holds what makes
	// its level ("AmazonS3FullAccess", `"*"`).
	Exposure exposure.Exposure
	Who      string
	Holds    string
	// Risky is true for a principal outsiders can assume and that holds
	// privileged rights (what IAM066 reports).
	Risky bool
	// Key identifies external nodes across stacks ("public",
	// "account:222222222222", "oidc:token.actions.githubusercontent.com").
	Key string

	order int // build order, for deterministic output
}

// IsPrincipal reports whether the node is a role, user or group.
func (n *Node) IsPrincipal() bool { return n.Kind == Role || n.Kind == User || n.Kind == Group }

// Edge is a directed edge.
type Edge struct {
	From, To *Node
	Kind     EdgeKind
	// Label is a few words: the exposure of a can-assume edge ("no sub",
	// "no ExternalId"), the granting policy of a has-policy edge.
	Label string
	// Exposure is the truster's (can-assume edges); for an in-stack
	// principal that outsiders can assume, the exposure of its worst path.
	Exposure exposure.Exposure
	// Risky marks an exposed truster into a privileged principal.
	Risky bool
}

// Build builds the graph of stack models (stackmodel.Build(stack) for each
// loaded stack), in the given order.
func Build(models []*stackmodel.Model) *Graph {
	b := &builder{g: &Graph{}, ids: map[string]bool{}, externals: map[string]*Node{}, edges: map[edgeKey]*Edge{}}
	for _, m := range models {
		b.stack(m)
	}
	var ext []*Node
	for _, n := range b.externals {
		ext = append(ext, n)
	}
	sort.Slice(ext, func(i, j int) bool { return ext[i].Key < ext[j].Key })
	for _, s := range b.g.Stacks {
		b.g.Nodes = append(b.g.Nodes, s.Principals...)
		b.g.Nodes = append(b.g.Nodes, s.Local...)
	}
	b.g.Nodes = append(b.g.Nodes, ext...)
	return b.g
}

type builder struct {
	g         *Graph
	ids       map[string]bool
	externals map[string]*Node
	edges     map[edgeKey]*Edge
	order     int
}

type edgeKey struct {
	from, to *Node
	kind     EdgeKind
}

func (b *builder) node(n *Node, id string) *Node {
	n.ID = b.unique(id)
	n.order = b.order
	b.order++
	return n
}

func (b *builder) unique(id string) string {
	id = sanitize(id)
	out := id
	for i := 2; b.ids[out]; i++ {
		out = id + "_" + itoa(i)
	}
	b.ids[out] = true
	return out
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// sanitize keeps ASCII letters, digits and underscores.
func sanitize(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			sb.WriteRune(r)
		default:
			sb.WriteByte('_')
		}
	}
	return sb.String()
}

var capabilityLabels = map[exposure.Level]string{
	exposure.Admin:                 "admin",
	exposure.PrivilegeEscalation:   "privilege escalation",
	exposure.PermissionsManagement: "permissions management",
	exposure.Write:                 "write",
	exposure.Read:                  "read",
	exposure.Unknown:               "not graded",
}

func (b *builder) stack(m *stackmodel.Model) {
	if len(m.Principals) == 0 {
		return
	}
	a := exposure.Analyze(m)
	name := m.Stack.Name()
	st := &Stack{Name: name}
	st.ID = b.unique("s_" + name)
	b.g.Stacks = append(b.g.Stacks, st)

	short := func(r *stackmodel.Resource) string {
		n := r.Name()
		if cp := m.Stack.ConstructPath; cp != "" {
			n = strings.TrimPrefix(n, cp+"/")
		}
		return n
	}
	byP := map[*stackmodel.Principal]*Node{}
	for _, p := range m.Principals {
		n := b.node(&Node{Kind: NodeKind(p.Kind), Label: string(p.Kind) + " " + short(p.Resource), Stack: st,
			LogicalID: p.Resource.LogicalID, ConstructPath: p.Resource.ConstructPath, Internal: p.Resource.Internal},
			st.ID+"_"+p.Resource.LogicalID)
		caps := a.Capabilities(p, exposure.AnySession)
		n.Level = caps.Level
		if g := caps.Top(); g != nil {
			n.Holds = g.Short
		}
		if paths := a.Paths(p); len(paths) > 0 {
			n.Exposure, n.Who = paths[0].Exposure, paths[0].Source().Who
			for _, path := range paths {
				if a.Capabilities(p, path.Session()).Level.Privileged() {
					n.Risky, n.Exposure, n.Who = true, path.Exposure, path.Source().Who
					break
				}
			}
		}
		byP[p] = n
		st.Principals = append(st.Principals, n)
	}

	// Capability nodes, most powerful first.
	caps := map[exposure.Level]*Node{}
	for _, l := range []exposure.Level{exposure.Admin, exposure.PrivilegeEscalation, exposure.PermissionsManagement, exposure.Write, exposure.Read, exposure.Unknown} {
		for _, p := range m.Principals {
			if byP[p].Level == l {
				caps[l] = b.node(&Node{Kind: Capability, Label: capabilityLabels[l], Stack: st, Level: l}, st.ID+"_cap_"+capabilityLabels[l])
				st.Local = append(st.Local, caps[l])
				break
			}
		}
	}
	var self *Node // "this account", local to the stack

	for _, p := range m.Principals {
		to := byP[p]
		for _, t := range a.Trusters(p) {
			var from *Node
			switch {
			case t.Kind == exposure.InStack:
				from = byP[t.Principal]
			case t.Kind == exposure.Account && t.Account == "${AWS::AccountId}":
				if self == nil {
					self = b.node(&Node{Kind: Account, Label: "this account", Stack: st, Key: "account:self"}, st.ID+"_account_self")
					st.Local = append(st.Local, self)
				}
				from = self
			default:
				from = b.external(t)
			}
			if from == nil {
				continue
			}
			e := &Edge{From: from, To: to, Kind: CanAssume, Exposure: t.Exposure, Label: t.Short}
			session := exposure.AnySession
			if t.WebIdentity {
				session = exposure.NoMFA
			}
			if t.Kind == exposure.InStack && t.Principal != nil {
				// The truster's worst path that does not come back here.
				for _, path := range a.Paths(t.Principal) {
					if !path.Through(p) {
						e.Exposure, session = path.Exposure, path.Session()
						break
					}
				}
			}
			if e.Exposure > exposure.NotExposed && a.Capabilities(p, session).Level.Privileged() {
				e.Risky = true
			}
			b.edge(e)
		}
		if p.Kind == stackmodel.User {
			for _, g := range p.Groups {
				if gp := m.Principal(g); gp != nil {
					b.edge(&Edge{From: to, To: byP[gp], Kind: MemberOf})
				}
			}
		}
		if c := caps[to.Level]; c != nil {
			b.edge(&Edge{From: to, To: c, Kind: HasPolicy, Label: to.Holds})
		}
	}
}

// external returns the shared node of an external truster.
func (b *builder) external(t exposure.Truster) *Node {
	if n := b.externals[t.Key]; n != nil {
		return n
	}
	kind := External
	switch t.Kind {
	case exposure.Public:
		kind = Public
	case exposure.Account:
		kind = Account
	case exposure.Service:
		kind = Service
	case exposure.OIDC, exposure.Cognito, exposure.SAML, exposure.Federated:
		kind = Federated
	}
	label := t.Label
	if t.Kind == exposure.Public {
		label = "everyone (*)"
	}
	n := b.node(&Node{Kind: kind, Label: label, Key: t.Key}, "e_"+t.Key)
	b.externals[t.Key] = n
	return n
}

// edge adds an edge, merging it into an existing edge between the same
// nodes of the same kind (two statements trusting the same service).
func (b *builder) edge(e *Edge) {
	k := edgeKey{e.From, e.To, e.Kind}
	if o := b.edges[k]; o != nil {
		if e.Risky && !o.Risky || e.Exposure > o.Exposure {
			o.Risky, o.Exposure, o.Label = o.Risky || e.Risky, max(o.Exposure, e.Exposure), e.Label
		}
		return
	}
	b.edges[k] = e
	b.g.Edges = append(b.g.Edges, e)
}

// Riskiest returns up to n principals (n <= 0: all), riskiest first, among
// those outsiders can assume or that hold privileged rights: risky ones
// (exposed and privileged) first, then by exposure, by level, user
// constructs before CDK-internal ones, and graph order.
func Riskiest(g *Graph, n int) []*Node {
	var out []*Node
	for _, node := range g.Nodes {
		if node.IsPrincipal() && (node.Exposure > exposure.NotExposed || node.Level.Privileged()) {
			out = append(out, node)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return riskier(out[i], out[j]) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// ranked returns every principal, riskiest first.
func ranked(g *Graph) []*Node {
	var out []*Node
	for _, node := range g.Nodes {
		if node.IsPrincipal() {
			out = append(out, node)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return riskier(out[i], out[j]) })
	return out
}

func riskier(a, b *Node) bool {
	if a.Risky != b.Risky {
		return a.Risky
	}
	if a.Exposure != b.Exposure {
		return a.Exposure > b.Exposure
	}
	if la, lb := rank(a.Level), rank(b.Level); la != lb {
		return la > lb
	}
	if (a.Internal == "") != (b.Internal == "") {
		return a.Internal == ""
	}
	return a.order < b.order
}

// rank orders levels with Unknown between Read and Write: an ungraded
// policy may grant anything, but nothing says it does.
func rank(l exposure.Level) int {
	switch l {
	case exposure.Unknown:
		return 2*int(exposure.Read) + 1
	}
	return 2 * int(l)
}
