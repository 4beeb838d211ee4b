package iampolicy

import (
	"fmt"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
)

// Parse normalizes the policy document at n. A document given as a JSON
// string (AWS::SSO::PermissionSet InlinePolicy, some L1 properties) is parsed
// and its statements point at the string. Fn::If branches contribute the
// statements of both branches. Shape errors become Problems, never panics.
func Parse(n *cfn.Node, kind Kind, logicalID, resourceType, locator string) *Document {
	d := &Document{LogicalID: logicalID, ResourceType: resourceType, Locator: locator, Kind: kind, Node: n, At: n}
	if n == nil {
		return d
	}
	if n.Kind == cfn.String {
		inner, err := cfn.ParseJSON([]byte(n.Str))
		if err != nil {
			d.Problems = append(d.Problems, Problem{At: n, Msg: fmt.Sprintf("policy document string is not valid JSON: %v", err)})
			return d
		}
		d.Node, d.Detached = inner, true
	}
	d.parseDoc(d.Node, 0)
	return d
}

func (d *Document) at(n *cfn.Node) *cfn.Node {
	if d.Detached || n == nil {
		return d.At
	}
	return n
}

func (d *Document) problem(n *cfn.Node, format string, args ...any) {
	d.Problems = append(d.Problems, Problem{At: d.at(n), Msg: fmt.Sprintf(format, args...)})
}

func (d *Document) parseDoc(n *cfn.Node, depth int) {
	if depth > 8 {
		return
	}
	if name, arg, ok := n.Intrinsic(); ok {
		if name == "Fn::If" && arg.Kind == cfn.Array && len(arg.Vals) == 3 {
			d.parseDoc(arg.Vals[1], depth+1)
			d.parseDoc(arg.Vals[2], depth+1)
			return
		}
		if name == "Ref" {
			if s, _ := arg.Literal(); s == "AWS::NoValue" {
				return
			}
		}
		d.problem(n, "policy document is %s, which cannot be analyzed statically", name)
		return
	}
	if n.Kind != cfn.Object {
		d.problem(n, "policy document is a %s, not an object", n.Kind)
		return
	}
	if v, ok := n.Get("Version").Literal(); ok && d.Version == "" {
		d.Version = v
	}
	st := n.Get("Statement")
	if st == nil {
		d.problem(n, "policy document has no Statement")
		return
	}
	d.parseStatements(st, depth)
}

func (d *Document) parseStatements(st *cfn.Node, depth int) {
	if depth > 8 {
		return
	}
	if name, arg, ok := st.Intrinsic(); ok {
		if name == "Fn::If" && arg.Kind == cfn.Array && len(arg.Vals) == 3 {
			d.parseStatements(arg.Vals[1], depth+1)
			d.parseStatements(arg.Vals[2], depth+1)
			return
		}
		if s, _ := arg.Literal(); name == "Ref" && s == "AWS::NoValue" {
			return
		}
		d.problem(st, "Statement is %s, which cannot be analyzed statically", name)
		return
	}
	switch st.Kind {
	case cfn.Object:
		d.parseStatement(st)
	case cfn.Array:
		for _, e := range st.Vals {
			if e.Kind == cfn.Object {
				if _, _, ok := e.Intrinsic(); ok {
					d.parseStatements(e, depth+1)
					continue
				}
				d.parseStatement(e)
			} else {
				d.problem(e, "statement is a %s, not an object", e.Kind)
			}
		}
	default:
		d.problem(st, "Statement is a %s, not an object or a list", st.Kind)
	}
}

func (d *Document) parseStatement(n *cfn.Node) {
	s := &Statement{Doc: d, Index: len(d.Statements), Node: n, At: d.at(n)}
	s.Sid, _ = n.Get("Sid").Literal()
	if e := n.Get("Effect"); e != nil {
		s.Effect, _ = e.Literal()
		s.EffectAt = d.at(e)
		if s.Effect == "" {
			s.Effect = cfn.SymString(e)
		}
	}
	if a := n.Get("Action"); a != nil {
		s.Actions, s.ActionAt = d.values(a), d.at(a)
	} else if a := n.Get("NotAction"); a != nil {
		s.Actions, s.ActionAt, s.NotAction = d.values(a), d.at(a), true
	}
	if r := n.Get("Resource"); r != nil {
		s.Resources, s.ResourceAt = d.values(r), d.at(r)
	} else if r := n.Get("NotResource"); r != nil {
		s.Resources, s.ResourceAt, s.NotResource = d.values(r), d.at(r), true
	}
	if p := n.Get("Principal"); p != nil {
		s.Principals, s.PrincipalAt = d.principals(p), d.at(p)
	} else if p := n.Get("NotPrincipal"); p != nil {
		s.Principals, s.PrincipalAt, s.NotPrincipal = d.principals(p), d.at(p), true
	}
	if c := n.Get("Condition"); c != nil {
		s.ConditionAt = d.at(c)
		s.Conditions = d.conditions(c)
	}
	d.Statements = append(d.Statements, s)
}

// values reads a policy element that is a value or a list of values.
func (d *Document) values(n *cfn.Node) []Value {
	if name, arg, ok := n.Intrinsic(); ok && name == "Fn::If" && arg.Kind == cfn.Array && len(arg.Vals) == 3 {
		return append(d.values(arg.Vals[1]), d.values(arg.Vals[2])...)
	}
	elems := n.Elems()
	out := make([]Value, 0, len(elems))
	for _, e := range elems {
		if name, arg, ok := e.Intrinsic(); ok && name == "Ref" {
			if s, _ := arg.Literal(); s == "AWS::NoValue" {
				continue
			}
		}
		if e.Kind == cfn.Null {
			d.problem(e, "null value in policy element")
			continue
		}
		if e.Kind == cfn.Array || (e.Kind == cfn.Object && !isIntrinsic(e)) {
			d.problem(e, "policy value is a %s, not a string", e.Kind)
			continue
		}
		text, known := cfn.Sym(e)
		out = append(out, Value{Text: text, Known: known, Node: e, At: d.at(e)})
	}
	return out
}

func isIntrinsic(n *cfn.Node) bool {
	_, _, ok := n.Intrinsic()
	return ok
}

func (d *Document) principals(n *cfn.Node) []Principal {
	switch {
	case n.Kind == cfn.String:
		text, known := cfn.Sym(n)
		return []Principal{{Type: "*", Value: Value{Text: text, Known: known, Node: n, At: d.at(n)}}}
	case n.Kind == cfn.Object && !isIntrinsic(n):
		var out []Principal
		for i, k := range n.Keys {
			for _, v := range d.values(n.Vals[i]) {
				out = append(out, Principal{Type: k, Value: v})
			}
		}
		return out
	case isIntrinsic(n):
		text, known := cfn.Sym(n)
		return []Principal{{Type: "?", Value: Value{Text: text, Known: known, Node: n, At: d.at(n)}}}
	}
	d.problem(n, "Principal is a %s, not a string or an object", n.Kind)
	return nil
}

func (d *Document) conditions(n *cfn.Node) []Condition {
	if n.Kind != cfn.Object || isIntrinsic(n) {
		d.problem(n, "Condition is not an object of operators")
		return nil
	}
	var out []Condition
	for i, op := range n.Keys {
		block := n.Vals[i]
		if block.Kind != cfn.Object || isIntrinsic(block) {
			d.problem(block, "condition operator %s is not an object of keys", op)
			continue
		}
		base, set, ifExists := SplitOperator(op)
		for j, key := range block.Keys {
			out = append(out, Condition{
				Operator: op, Base: base, Set: set, IfExists: ifExists,
				Key: key, Values: d.values(block.Vals[j]),
				At: d.at(block.Vals[j]), OpAt: d.at(block),
			})
		}
	}
	return out
}

// SplitOperator splits "ForAnyValue:StringLikeIfExists" into
// ("StringLike", "ForAnyValue", true).
func SplitOperator(op string) (base, set string, ifExists bool) {
	base = op
	if s, rest, ok := strings.Cut(op, ":"); ok {
		set, base = s, rest
	}
	if strings.HasSuffix(base, "IfExists") {
		base, ifExists = strings.TrimSuffix(base, "IfExists"), true
	}
	return base, set, ifExists
}
