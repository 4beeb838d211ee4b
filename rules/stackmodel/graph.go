package stackmodel

import (
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
)

// buildGraph attaches documents to roles, users and groups.
func (m *Model) buildGraph() {
	for _, r := range m.Resources {
		var k PrincipalKind
		switch r.Type {
		case "AWS::IAM::Role":
			k = Role
		case "AWS::IAM::User":
			k = User
		case "AWS::IAM::Group":
			k = Group
		default:
			continue
		}
		p := &Principal{Resource: r, Kind: k}
		m.Principals = append(m.Principals, p)
		m.byPrinc[r.LogicalID] = p
	}
	byName := map[PrincipalKind]map[string]*Principal{Role: {}, User: {}, Group: {}}
	nameProp := map[PrincipalKind]string{Role: "RoleName", User: "UserName", Group: "GroupName"}
	for _, p := range m.Principals {
		if n, ok := p.Resource.Prop(nameProp[p.Kind]).Literal(); ok {
			byName[p.Kind][n] = p
		}
	}
	// resolve finds the in-stack principal a list element names: a Ref to
	// its logical ID, or its literal name.
	resolve := func(kind PrincipalKind, n *cfn.Node) (*Principal, string) {
		if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
			id, _ := arg.Literal()
			if p := m.byPrinc[id]; p != nil && p.Kind == kind {
				return p, id
			}
			return nil, cfn.SymString(n)
		}
		if s, ok := n.Literal(); ok {
			return byName[kind][s], s
		}
		return nil, cfn.SymString(n)
	}

	for _, d := range m.Documents {
		r := m.byID[d.LogicalID]
		switch {
		case d.Kind == iampolicy.Trust:
			if p := m.byPrinc[d.LogicalID]; p != nil {
				p.Trust = d
			}
		case strings.HasPrefix(d.Locator, "Policies["):
			if p := m.byPrinc[d.LogicalID]; p != nil {
				p.Policies = append(p.Policies, d)
			}
		case r != nil && (r.Type == "AWS::IAM::Policy" || r.Type == "AWS::IAM::ManagedPolicy"):
			for _, kp := range []struct {
				kind PrincipalKind
				prop string
			}{{Role, "Roles"}, {User, "Users"}, {Group, "Groups"}} {
				for _, e := range r.Prop(kp.prop).Elems() {
					if p, _ := resolve(kp.kind, e); p != nil {
						p.Policies = append(p.Policies, d)
					}
				}
			}
		case r != nil && (r.Type == "AWS::IAM::RolePolicy" || r.Type == "AWS::IAM::UserPolicy" || r.Type == "AWS::IAM::GroupPolicy"):
			kind := map[string]PrincipalKind{"AWS::IAM::RolePolicy": Role, "AWS::IAM::UserPolicy": User, "AWS::IAM::GroupPolicy": Group}[r.Type]
			if n := r.Prop(nameProp[kind]); n != nil {
				if p, _ := resolve(kind, n); p != nil {
					p.Policies = append(p.Policies, d)
				}
			}
		}
	}
	// Managed policy ARNs: in-stack managed policies attach their document;
	// others (AWS managed, external) are kept as values.
	for _, p := range m.Principals {
		for _, e := range p.Resource.Prop("ManagedPolicyArns").Elems() {
			if name, arg, ok := e.Intrinsic(); ok && name == "Ref" {
				id, _ := arg.Literal()
				if mr := m.byID[id]; mr != nil && mr.Type == "AWS::IAM::ManagedPolicy" {
					for _, d := range m.Documents {
						if d.LogicalID == id {
							p.Policies = append(p.Policies, d)
						}
					}
					continue
				}
			}
			text, known := cfn.Sym(e)
			p.ManagedPolicyArns = append(p.ManagedPolicyArns, iampolicy.Value{Text: text, Known: known, Node: e, At: e})
		}
	}
	// Group membership: User.Groups and AWS::IAM::UserToGroupAddition.
	addMember := func(u *Principal, g *Principal, name string) {
		if g != nil {
			u.Groups = append(u.Groups, g.Resource.LogicalID)
			g.Members = append(g.Members, u)
			return
		}
		u.ExternalGroups = append(u.ExternalGroups, name)
	}
	for _, u := range m.Principals {
		if u.Kind != User {
			continue
		}
		for _, e := range u.Resource.Prop("Groups").Elems() {
			g, name := resolve(Group, e)
			addMember(u, g, name)
		}
	}
	for _, r := range m.ResourcesOfType("AWS::IAM::UserToGroupAddition") {
		g, name := resolve(Group, r.Prop("GroupName"))
		for _, e := range r.Prop("Users").Elems() {
			if u, _ := resolve(User, e); u != nil {
				addMember(u, g, name)
			}
		}
	}
}

// EffectivePolicies returns the documents that grant a principal its
// permissions: its own, and for users those of their in-stack groups.
func (m *Model) EffectivePolicies(p *Principal) []*iampolicy.Document {
	out := append([]*iampolicy.Document(nil), p.Policies...)
	if p.Kind == User {
		for _, g := range p.Groups {
			if gp := m.byPrinc[g]; gp != nil {
				out = append(out, gp.Policies...)
			}
		}
	}
	return out
}

// PrincipalsOf returns the principals a document attaches to.
func (m *Model) PrincipalsOf(d *iampolicy.Document) []*Principal {
	var out []*Principal
	for _, p := range m.Principals {
		for _, pd := range p.Policies {
			if pd == d {
				out = append(out, p)
				break
			}
		}
	}
	return out
}
