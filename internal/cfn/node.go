// Package cfn is iamvet's CloudFormation template model: a positioned tree of
// JSON/YAML values in which every node knows its byte span in the source,
// intrinsic functions stay intrinsic functions, and a symbolic evaluator
// renders strings such as arn:${AWS::Partition}:s3:::${Bucket}/* without ever
// inventing a value it cannot know.
//
// The model is deliberately small. Rules never see goformation structs (see
// DESIGN.md): they walk these nodes, which keep positions for diagnostics and
// keep intrinsics as they are written.
package cfn

import (
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// Kind is the JSON kind of a node.
type Kind uint8

// Node kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Node is one value of a template. Objects keep their keys in source order.
type Node struct {
	Kind Kind
	// Str holds the decoded text of a String, the literal text of a Number
	// and "true"/"false" for a Bool.
	Str string
	// Keys and Vals hold the members of an Object (Keys[i] ↦ Vals[i]);
	// Vals alone holds the elements of an Array.
	Keys []string
	Vals []*Node
	// KeyPos holds the byte offset of each object key (for diagnostics on keys).
	KeyPos []int
	// Start and End are the node's byte offsets in the source (End exclusive).
	Start, End int
}

// Get returns the member named key of an object node, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i, k := range n.Keys {
		if k == key {
			return n.Vals[i]
		}
	}
	return nil
}

// GetFold is Get with ASCII case-insensitive key matching. IAM policy
// elements are case-sensitive for AWS, but CloudFormation passes them through,
// so the policy normalizer uses exact keys; GetFold exists for metadata whose
// producers vary in case.
func (n *Node) GetFold(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i, k := range n.Keys {
		if strings.EqualFold(k, key) {
			return n.Vals[i]
		}
	}
	return nil
}

// Path returns the node reached by following keys (object members) from n.
func (n *Node) Path(keys ...string) *Node {
	for _, k := range keys {
		n = n.Get(k)
		if n == nil {
			return nil
		}
	}
	return n
}

// Len is the number of members or elements.
func (n *Node) Len() int {
	if n == nil {
		return 0
	}
	return len(n.Vals)
}

// IsString reports whether n is a string literal.
func (n *Node) IsString() bool { return n != nil && n.Kind == String }

// Literal returns the text of a scalar literal (string, number, bool) and
// true, or "" and false for anything else (objects, arrays, intrinsics, null).
func (n *Node) Literal() (string, bool) {
	if n == nil {
		return "", false
	}
	switch n.Kind {
	case String, Number, Bool:
		return n.Str, true
	}
	return "", false
}

// Intrinsic returns the function name and argument when n is an intrinsic
// function call: an object with exactly one key that is "Ref", "Condition" or
// starts with "Fn::".
func (n *Node) Intrinsic() (name string, arg *Node, ok bool) {
	if n == nil || n.Kind != Object || len(n.Keys) != 1 {
		return "", nil, false
	}
	k := n.Keys[0]
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, n.Vals[0], true
	}
	return "", nil, false
}

// Elems returns the elements of an array node, or the node itself as a
// one-element list for a scalar or object: IAM policy elements accept both a
// single value and a list.
func (n *Node) Elems() []*Node {
	if n == nil {
		return nil
	}
	if n.Kind == Array {
		return n.Vals
	}
	return []*Node{n}
}

// SortedKeys returns the keys of an object in lexical order.
func (n *Node) SortedKeys() []string {
	if n == nil {
		return nil
	}
	ks := append([]string(nil), n.Keys...)
	sort.Strings(ks)
	return ks
}

// Format is the source syntax of a template.
type Format uint8

// Template formats.
const (
	JSON Format = iota
	YAML
)

// Template is one parsed template file.
type Template struct {
	Path   string // as given to the loader (absolute or relative to the working dir)
	Format Format
	Root   *Node
	Src    []byte
	File   *token.File // positions: File.Pos(offset)
}

// Pos returns the token.Pos of a byte offset in the template (token.NoPos if
// the template has no file or the offset is out of range).
func (t *Template) Pos(off int) token.Pos {
	if t == nil || t.File == nil || off < 0 || off > t.File.Size() {
		return token.NoPos
	}
	return t.File.Pos(off)
}

// Resources returns the Resources section (or nil).
func (t *Template) Resources() *Node { return t.Root.Get("Resources") }

// EscapePointer escapes one JSON pointer segment (RFC 6901): "~" → "~0", "/" → "~1".
func EscapePointer(seg string) string {
	if !strings.ContainsAny(seg, "~/") {
		return seg
	}
	seg = strings.ReplaceAll(seg, "~", "~0")
	return strings.ReplaceAll(seg, "/", "~1")
}

// UnescapePointer reverses EscapePointer.
func UnescapePointer(seg string) string {
	if !strings.Contains(seg, "~") {
		return seg
	}
	seg = strings.ReplaceAll(seg, "~1", "/")
	return strings.ReplaceAll(seg, "~0", "~")
}

// PointerTo returns the JSON pointer of target inside root. The search is
// depth-first, pruned by start offsets (a child never starts before its
// parent). It returns "" and false when the node is not in the tree (e.g. a
// node decoded from a policy document given as a JSON string).
func PointerTo(root, target *Node) (string, bool) {
	var segs []string
	if !pointerWalk(root, target, &segs) {
		return "", false
	}
	var b strings.Builder
	for i := len(segs) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(segs[i])
	}
	return b.String(), true
}

func pointerWalk(n, target *Node, segs *[]string) bool {
	if n == target {
		return true
	}
	if n == nil || n.Kind < Array {
		return false
	}
	for i, c := range n.Vals {
		// A container holds its descendants' spans (a YAML container's End
		// is at least every descendant's, aliased copies included): skip
		// the siblings that end before the target.
		if c != target && (c.Kind < Array || c.Start > target.Start || c.End < target.End) {
			continue
		}
		if pointerWalk(c, target, segs) {
			if n.Kind == Object {
				*segs = append(*segs, EscapePointer(n.Keys[i]))
			} else {
				*segs = append(*segs, strconv.Itoa(i))
			}
			return true
		}
	}
	return false
}

// Resolve returns the node at a JSON pointer, or nil.
func Resolve(root *Node, ptr string) *Node {
	if ptr == "" {
		return root
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil
	}
	n := root
	for _, seg := range strings.Split(ptr[1:], "/") {
		if n == nil {
			return nil
		}
		switch n.Kind {
		case Object:
			n = n.Get(UnescapePointer(seg))
		case Array:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(n.Vals) {
				return nil
			}
			n = n.Vals[i]
		default:
			return nil
		}
	}
	return n
}

// NodeAt returns the innermost node whose span contains the byte offset.
func NodeAt(root *Node, off int) *Node {
	n := root
	if n == nil || off < n.Start || off >= n.End {
		return nil
	}
	for {
		var next *Node
		for _, c := range n.Vals {
			if c.Start <= off && off < c.End {
				next = c
				break
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
}

// Branches returns the values n may take: both branches of an Fn::If
// (recursively), nothing for {"Ref": "AWS::NoValue"} or null, and n itself
// otherwise (including other intrinsics, which callers judge).
func Branches(n *Node) []*Node { return branches(n, 0) }

func branches(n *Node, depth int) []*Node {
	if n == nil || n.Kind == Null || depth > 8 {
		return nil
	}
	if name, arg, ok := n.Intrinsic(); ok {
		switch name {
		case "Fn::If":
			if arg.Kind == Array && len(arg.Vals) == 3 {
				return append(branches(arg.Vals[1], depth+1), branches(arg.Vals[2], depth+1)...)
			}
		case "Ref":
			if s, _ := arg.Literal(); s == "AWS::NoValue" {
				return nil
			}
		}
	}
	return []*Node{n}
}
