package cfn

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxYAMLNodes bounds the number of nodes a YAML document may expand to
// (aliases are expanded by copying), so that an alias bomb is an error rather
// than an out-of-memory crash.
const MaxYAMLNodes = 2_000_000

// ParseYAML decodes a YAML template into a positioned tree. CloudFormation's
// short-form tags become the long form: !Ref X → {"Ref": "X"},
// !GetAtt A.B → {"Fn::GetAtt": ["A", "B"]}, !Sub s → {"Fn::Sub": "s"}, ….
func ParseYAML(src []byte) (*Node, error) {
	// Offsets are computed on the source without its byte order mark and
	// shifted back afterwards, so spans index the file as read.
	bom := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		src, bom = src[3:], 3
	}
	if !utf8.Valid(src) {
		return nil, &SyntaxError{Offset: bom + firstInvalidUTF8(src), Msg: "invalid UTF-8"}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlError(src, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &SyntaxError{Msg: "empty document"}
	}
	// The node budget scales with the input: a real template expands to a
	// few nodes per byte, an alias bomb to millions.
	limit := min(MaxYAMLNodes, 16*len(src)+10_000)
	c := &yamlConv{src: src, lines: yamlLines(src), limit: limit}
	n, err := c.node(doc.Content[0], 0)
	if err != nil {
		var se *SyntaxError
		if bom > 0 && errors.As(err, &se) {
			se.Offset += bom
		}
		return nil, err
	}
	if bom > 0 {
		shift(n, bom)
	}
	return n, nil
}

func shift(n *Node, d int) {
	n.Start += d
	n.End += d
	for i := range n.KeyPos {
		n.KeyPos[i] += d
	}
	for _, c := range n.Vals {
		shift(c, d)
	}
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// yamlError turns yaml.v3's "yaml: line N: msg" into a positioned SyntaxError.
func yamlError(src []byte, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil && line > 0 {
		ls := yamlLines(src)
		off := 0
		if line-1 < len(ls) {
			off = ls[line-1]
		}
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return &SyntaxError{Offset: off, Msg: msg}
	}
	return &SyntaxError{Msg: msg}
}

type yamlConv struct {
	src   []byte
	lines []int
	count int
	limit int
}

// offset converts yaml.v3's 1-based line and (character) column to a byte offset.
func (c *yamlConv) offset(line, col int) int {
	if line <= 0 || line > len(c.lines) {
		return 0
	}
	off := c.lines[line-1]
	for i := 1; i < col && off < len(c.src) && c.src[off] != '\n' && c.src[off] != '\r'; i++ {
		_, size := utf8.DecodeRune(c.src[off:])
		off += size
	}
	return off
}

// scalarEnd estimates where a scalar ends: the rest of its token on the line.
func (c *yamlConv) scalarEnd(y *yaml.Node, start int) int {
	end := start
	switch y.Style &^ yaml.TaggedStyle {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		q := c.src[start]
		end = start + 1
		for end < len(c.src) && c.src[end] != '\n' {
			if c.src[end] == '\\' && q == '"' {
				end += 2
				continue
			}
			if c.src[end] == q {
				if q == '\'' && end+1 < len(c.src) && c.src[end+1] == '\'' {
					end += 2
					continue
				}
				end++
				break
			}
			end++
		}
	case yaml.LiteralStyle, yaml.FoldedStyle:
		end = start + 1
	default:
		end = start + len(y.Value)
	}
	if end > len(c.src) {
		end = len(c.src)
	}
	if end < start {
		end = start
	}
	return end
}

func (c *yamlConv) node(y *yaml.Node, depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, &SyntaxError{Offset: c.offset(y.Line, y.Column), Msg: fmt.Sprintf("nesting deeper than %d levels", MaxDepth)}
	}
	c.count++
	if c.count > c.limit {
		return nil, &SyntaxError{Offset: c.offset(y.Line, y.Column), Msg: fmt.Sprintf("document expands to more than %d nodes (alias expansion)", c.limit)}
	}
	start := c.offset(y.Line, y.Column)
	tagStart := start
	if y.Kind == yaml.ScalarNode && strings.HasPrefix(y.Tag, "!") && !strings.HasPrefix(y.Tag, "!!") {
		// yaml.v3 positions a tagged scalar at its tag: skip "!Tag ".
		if bytes.HasPrefix(c.src[start:], []byte(y.Tag)) {
			start += len(y.Tag)
			for start < len(c.src) && (c.src[start] == ' ' || c.src[start] == '\t' || c.src[start] == '\n' || c.src[start] == '\r') {
				start++
			}
		}
	}
	var n *Node
	switch y.Kind {
	case yaml.AliasNode:
		if y.Alias == nil {
			return nil, &SyntaxError{Offset: start, Msg: "unknown alias"}
		}
		return c.node(y.Alias, depth+1)
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &Node{Kind: Null, Start: start, End: start}, nil
		}
		return c.node(y.Content[0], depth+1)
	case yaml.ScalarNode:
		n = &Node{Start: start, End: c.scalarEnd(y, start)}
		switch y.ShortTag() {
		case "!!null":
			n.Kind = Null
		case "!!bool":
			n.Kind = Bool
			n.Str = strings.ToLower(y.Value)
		case "!!int", "!!float":
			n.Kind = Number
			n.Str = y.Value
		default:
			n.Kind = String
			n.Str = y.Value
		}
	case yaml.SequenceNode:
		n = &Node{Kind: Array, Start: start, End: start + 1}
		for _, e := range y.Content {
			v, err := c.node(e, depth+1)
			if err != nil {
				return nil, err
			}
			n.Vals = append(n.Vals, v)
			if v.End > n.End {
				n.End = v.End
			}
		}
	case yaml.MappingNode:
		n = &Node{Kind: Object, Start: start, End: start + 1}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, &SyntaxError{Offset: c.offset(k.Line, k.Column), Msg: "mapping key is not a scalar"}
			}
			for _, seen := range n.Keys {
				if seen == k.Value {
					return nil, &SyntaxError{Offset: c.offset(k.Line, k.Column), Msg: fmt.Sprintf("duplicate key %q", k.Value)}
				}
			}
			val, err := c.node(v, depth+1)
			if err != nil {
				return nil, err
			}
			n.Keys = append(n.Keys, k.Value)
			n.KeyPos = append(n.KeyPos, c.offset(k.Line, k.Column))
			n.Vals = append(n.Vals, val)
			if val.End > n.End {
				n.End = val.End
			}
		}
	default:
		return nil, &SyntaxError{Offset: start, Msg: "unsupported YAML node"}
	}
	if tag := y.Tag; strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		return shortForm(tag[1:], n, tagStart)
	}
	return n, nil
}

// shortForm wraps n in the long form of a CloudFormation short-form tag.
func shortForm(tag string, n *Node, tagStart int) (*Node, error) {
	var key string
	switch tag {
	case "Ref", "Condition":
		key = tag
	case "GetAtt":
		key = "Fn::GetAtt"
		if n.Kind == String {
			// !GetAtt Resource.Attr.With.Dots splits at the first dot.
			res, attr, ok := strings.Cut(n.Str, ".")
			if !ok {
				return nil, &SyntaxError{Offset: n.Start, Msg: fmt.Sprintf("!GetAtt %q: expected Resource.Attribute", n.Str)}
			}
			lo, hi := n.Start, n.End
			if hi-lo == len(n.Str)+2 { // quoted: the parts are inside the quotes
				lo, hi = lo+1, hi-1
			}
			mid := min(lo+len(res), hi)
			n = &Node{Kind: Array, Start: n.Start, End: n.End, Vals: []*Node{
				{Kind: String, Str: res, Start: lo, End: mid},
				{Kind: String, Str: attr, Start: min(mid+1, hi), End: hi},
			}}
		}
	default:
		key = "Fn::" + tag
	}
	if tagStart > n.Start {
		tagStart = n.Start
	}
	return &Node{Kind: Object, Start: tagStart, End: n.End, Keys: []string{key}, KeyPos: []int{tagStart}, Vals: []*Node{n}}, nil
}

// yamlLines returns the line starts of a YAML source: LineStarts, plus the
// empty line after a final line break, which yaml.v3 can name in errors.
func yamlLines(src []byte) []int {
	ls := LineStarts(src)
	if len(ls) == 0 {
		return []int{0}
	}
	if n := len(src); n > 0 && (src[n-1] == '\n' || src[n-1] == '\r') {
		ls = append(ls, n)
	}
	return ls
}
