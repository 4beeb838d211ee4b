package cfn

import (
	"strings"
)

// Unknown is how the symbolic view renders a part whose value cannot be known
// statically (a condition's branch, a mapping lookup, a selected element).
const Unknown = "${?}"

// Sym renders a value as a symbolic string. Literals render as themselves;
// {"Ref": "X"} renders as ${X}; {"Fn::GetAtt": ["A", "B"]} as ${A.B};
// Fn::Join and Fn::Sub are evaluated symbolically; anything that cannot be
// known renders as ${?}. The second result is true when the value is fully
// known (a literal after evaluation, with no ${…} part left).
//
// For example {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
// ":s3:::", {"Ref": "Bucket"}, "/*"]]} renders as
// arn:${AWS::Partition}:s3:::${Bucket}/*.
func Sym(n *Node) (string, bool) {
	if n != nil && (n.Kind == String || n.Kind == Number || n.Kind == Bool) {
		return n.Str, true // a literal, the common case: no copy
	}
	var b strings.Builder
	b.Grow(96) // an ARN from Fn::Join: one allocation
	known := sym(&b, n, 0)
	return b.String(), known
}

// placeholder writes ${s}.
func placeholder(b *strings.Builder, s string) {
	b.WriteString("${")
	b.WriteString(s)
	b.WriteByte('}')
}

// SymString is Sym without the known flag.
func SymString(n *Node) string {
	s, _ := Sym(n)
	return s
}

const maxSymDepth = 64

func sym(b *strings.Builder, n *Node, depth int) bool {
	if n == nil || depth > maxSymDepth {
		b.WriteString(Unknown)
		return false
	}
	switch n.Kind {
	case String, Number, Bool:
		b.WriteString(n.Str)
		return true
	case Null, Array:
		b.WriteString(Unknown)
		return false
	}
	name, arg, ok := n.Intrinsic()
	if !ok {
		b.WriteString(Unknown)
		return false
	}
	switch name {
	case "Ref":
		if s, ok := arg.Literal(); ok {
			placeholder(b, s)
			return false
		}
	case "Fn::GetAtt":
		if parts := getAttParts(arg); parts != "" {
			placeholder(b, parts)
			return false
		}
	case "Fn::Join":
		if arg.Kind == Array && len(arg.Vals) == 2 {
			sep, ok := arg.Vals[0].Literal()
			list := arg.Vals[1]
			if ok && list.Kind == Array {
				known := true
				for i, e := range list.Vals {
					if i > 0 {
						b.WriteString(sep)
					}
					if !sym(b, e, depth+1) {
						known = false
					}
				}
				return known
			}
		}
	case "Fn::Sub":
		return symSub(b, arg, depth)
	case "Fn::ImportValue":
		if s, ok := arg.Literal(); ok {
			b.WriteString("${Import:" + s + "}")
			return false
		}
	}
	b.WriteString(Unknown)
	return false
}

func getAttParts(arg *Node) string {
	if s, ok := arg.Literal(); ok && arg.Kind == String {
		return s
	}
	if arg.Kind == Array && len(arg.Vals) == 2 {
		r, ok1 := arg.Vals[0].Literal()
		a, ok2 := arg.Vals[1].Literal()
		if ok1 && ok2 {
			return r + "." + a
		}
		if ok1 {
			return r + ".?"
		}
	}
	return ""
}

// symSub renders Fn::Sub: variables defined in the second argument are
// substituted symbolically, others stay ${Name}; ${!Literal} becomes ${Literal}.
func symSub(b *strings.Builder, arg *Node, depth int) bool {
	var tmpl string
	var vars *Node
	switch {
	case arg.Kind == String:
		tmpl = arg.Str
	case arg.Kind == Array && len(arg.Vals) == 2 && arg.Vals[0].Kind == String:
		tmpl, vars = arg.Vals[0].Str, arg.Vals[1]
	default:
		b.WriteString(Unknown)
		return false
	}
	known := true
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			b.WriteString(tmpl)
			return known
		}
		b.WriteString(tmpl[:i])
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl[i:])
			return known
		}
		name := tmpl[i+2 : i+j]
		tmpl = tmpl[i+j+1:]
		if strings.HasPrefix(name, "!") {
			placeholder(b, name[1:])
			continue
		}
		if v := vars.Get(name); v != nil {
			if !sym(b, v, depth+1) {
				known = false
			}
			continue
		}
		placeholder(b, name)
		known = false
	}
}

// Refs returns the logical IDs (and parameters) an intrinsic value refers to,
// in order of appearance, without duplicates: Ref targets, Fn::GetAtt
// resources and Fn::Sub variables. Pseudo parameters (AWS::…) are omitted.
func Refs(n *Node) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s == "" || strings.HasPrefix(s, "AWS::") || seen[s] {
			return
		}
		seen[s] = true
		out = append(out, s)
	}
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		if n == nil || depth > maxSymDepth {
			return
		}
		if name, arg, ok := n.Intrinsic(); ok {
			switch name {
			case "Ref":
				if s, ok := arg.Literal(); ok {
					add(s)
				}
				return
			case "Fn::GetAtt":
				if p := getAttParts(arg); p != "" {
					r, _, _ := strings.Cut(p, ".")
					add(r)
				}
				return
			case "Fn::Sub":
				t := arg
				var vars *Node
				if arg.Kind == Array && len(arg.Vals) > 0 {
					t = arg.Vals[0]
					if len(arg.Vals) == 2 {
						vars = arg.Vals[1]
					}
				}
				if t.Kind == String {
					s := t.Str
					for {
						i := strings.Index(s, "${")
						if i < 0 {
							break
						}
						j := strings.IndexByte(s[i:], '}')
						if j < 0 {
							break
						}
						name := s[i+2 : i+j]
						if !strings.HasPrefix(name, "!") && vars.Get(name) == nil {
							r, _, _ := strings.Cut(name, ".")
							add(r)
						}
						s = s[i+j+1:]
					}
				}
				if arg.Kind == Array && len(arg.Vals) == 2 {
					walk(arg.Vals[1], depth+1)
				}
				return
			}
		}
		for _, c := range n.Vals {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return out
}
