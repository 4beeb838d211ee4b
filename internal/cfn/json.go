package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// MaxDepth bounds the nesting of arrays and objects. CloudFormation templates
// nest a few dozen levels at most; the limit keeps hostile input from
// exhausting the stack.
const MaxDepth = 512

// SyntaxError is a parse error at a byte offset of the source.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return e.Msg }

// ParseJSON decodes src into a positioned tree in one pass. It accepts a
// leading UTF-8 byte order mark, rejects duplicate object keys (CloudFormation
// does too), invalid UTF-8 and nesting deeper than MaxDepth.
//
// The scanner is ours rather than encoding/json because the tree needs byte
// spans on every value; encoding/json's Decoder.Token is measured 2.5× slower
// than this single pass and keeps no end offsets.
func ParseJSON(src []byte) (*Node, error) {
	p := &jsonParser{src: src}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		p.pos = 3
	}
	p.skipWS()
	if p.pos >= len(p.src) {
		return nil, p.errf("empty document")
	}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipWS()
	if p.pos < len(p.src) {
		return nil, p.errf("unexpected %s after top-level value", p.describe())
	}
	return n, nil
}

type jsonParser struct {
	src []byte
	pos int
	// nodes is a slab the nodes are allocated from, a chunk at a time.
	nodes []Node
	// keys, keyPos and vals are stacks of the members of the objects and
	// arrays being parsed; each container copies its own off the stack
	// when it closes, into slices cut from the slabs below (full slice
	// expressions: an append never reaches a neighbour).
	keys   []string
	keyPos []int
	vals   []*Node
	// keySlab, posSlab and valSlab are the free parts of the current slabs.
	keySlab []string
	posSlab []int
	valSlab []*Node
	// seen caches short strings by a hash of their bytes: keys and values
	// such as "Type", "Fn::GetAtt" or "Allow" repeat all over a template
	// and are allocated once.
	seen *[stringCacheSize]string
}

// stringCacheSize is the number of entries of jsonParser.seen, and
// maxCached the longest string cached.
const (
	stringCacheSize = 1024
	maxCached       = 32
)

// text returns b as a string, from the cache when it is short.
func (p *jsonParser) text(b []byte) string {
	if len(b) > maxCached || len(b) == 0 {
		return string(b)
	}
	h := uint(len(b))
	for _, c := range b {
		h = h*31 + uint(c)
	}
	if p.seen == nil {
		p.seen = new([stringCacheSize]string)
	}
	e := &p.seen[h%stringCacheSize]
	if *e != string(b) {
		*e = string(b)
	}
	return *e
}

// slabLen is the length of a slab of keys, positions or values.
const slabLen = 512

// cut returns a slice of n elements from *slab, a new slab (or, for large
// n, an allocation of its own) when it has fewer left.
func cut[T any](slab *[]T, n int) []T {
	if n > slabLen/4 {
		return make([]T, n)
	}
	if len(*slab) < n {
		*slab = make([]T, slabLen)
	}
	out := (*slab)[:n:n]
	*slab = (*slab)[n:]
	return out
}

// nodeChunk is the number of nodes allocated at once: 146 nodes of 112
// bytes fill a 16 kB size class. One allocation per chunk instead of per
// node parses templates about 15% faster.
const nodeChunk = 146

func (p *jsonParser) node(k Kind, start int) *Node {
	if len(p.nodes) == 0 {
		p.nodes = make([]Node, nodeChunk)
	}
	n := &p.nodes[0]
	p.nodes = p.nodes[1:]
	n.Kind, n.Start = k, start
	return n
}

func (p *jsonParser) errf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *jsonParser) describe() string {
	if p.pos >= len(p.src) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *jsonParser) skipWS() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, p.errf("nesting deeper than %d levels", MaxDepth)
	}
	if p.pos >= len(p.src) {
		return nil, p.errf("unexpected end of input")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		start := p.pos
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		n := p.node(String, start)
		n.Str, n.End = s, p.pos
		return n, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.keyword("true", Bool)
	case c == 'f':
		return p.keyword("false", Bool)
	case c == 'n':
		return p.keyword("null", Null)
	}
	return nil, p.errf("unexpected %s, expecting a value", p.describe())
}

func (p *jsonParser) keyword(word string, k Kind) (*Node, error) {
	if !bytes.HasPrefix(p.src[p.pos:], []byte(word)) {
		return nil, p.errf("invalid literal, expecting %q", word)
	}
	n := p.node(k, p.pos)
	n.End = p.pos + len(word)
	if k == Bool {
		n.Str = word
	}
	p.pos += len(word)
	return n, nil
}

func (p *jsonParser) number() (*Node, error) {
	start := p.pos
	if p.src[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		s := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		return p.pos - s
	}
	intStart := p.pos
	if n := digits(); n == 0 || (n > 1 && p.src[intStart] == '0') {
		return nil, p.errf("invalid number (leading zero or no digits)")
	}
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.errf("invalid number")
		}
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errf("invalid number exponent")
		}
	}
	n := p.node(Number, start)
	n.Str, n.End = string(p.src[start:p.pos]), p.pos
	return n, nil
}

// plainASCII marks the bytes a string holds as they are: printable ASCII
// other than '"' and '\\'.
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str scans a string starting at the opening quote and returns its decoded value.
func (p *jsonParser) str() (string, error) {
	start := p.pos
	p.pos++ // opening quote
	escaped := false
	for {
		// Most bytes are printable ASCII other than '"' and '\\'.
		for p.pos < len(p.src) && plainASCII[p.src[p.pos]] {
			p.pos++
		}
		if p.pos >= len(p.src) {
			p.pos = start
			return "", p.errf("unterminated string")
		}
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			raw := p.src[start:p.pos]
			if !escaped {
				return p.text(raw[1 : len(raw)-1]), nil
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				p.pos = start
				return "", p.errf("invalid string escape")
			}
			return s, nil
		case c == '\\':
			escaped = true
			p.pos += 2
		case c < 0x20:
			return "", p.errf("control character in string")
		case c < utf8.RuneSelf:
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.src[p.pos:])
			if r == utf8.RuneError && size <= 1 {
				return "", p.errf("invalid UTF-8 in string")
			}
			p.pos += size
		}
	}
}

func (p *jsonParser) object(depth int) (*Node, error) {
	n := p.node(Object, p.pos)
	p.pos++
	p.skipWS()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		n.End = p.pos
		return n, nil
	}
	kb, vb := len(p.keys), len(p.vals)
	var seen map[string]struct{}
	for {
		p.skipWS()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return nil, p.errf("unexpected %s, expecting an object key", p.describe())
		}
		keyPos := p.pos
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		// Small objects (the common case) are checked linearly; a map is
		// only built for wide ones so that duplicate detection stays linear.
		if keys := p.keys[kb:]; len(keys) < 16 {
			for _, k := range keys {
				if k == key {
					p.pos = keyPos
					return nil, p.errf("duplicate key %q", key)
				}
			}
		} else {
			if seen == nil {
				seen = make(map[string]struct{}, 2*len(keys))
				for _, k := range keys {
					seen[k] = struct{}{}
				}
			}
			if _, dup := seen[key]; dup {
				p.pos = keyPos
				return nil, p.errf("duplicate key %q", key)
			}
			seen[key] = struct{}{}
		}
		p.skipWS()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return nil, p.errf("unexpected %s, expecting ':' after object key", p.describe())
		}
		p.pos++
		p.skipWS()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.keys = append(p.keys, key)
		p.keyPos = append(p.keyPos, keyPos)
		p.vals = append(p.vals, v)
		p.skipWS()
		if p.pos >= len(p.src) {
			return nil, p.errf("unexpected end of input in object")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			n.End = p.pos
			n.Keys = cut(&p.keySlab, len(p.keys)-kb)
			copy(n.Keys, p.keys[kb:])
			n.KeyPos = cut(&p.posSlab, len(p.keyPos)-kb)
			copy(n.KeyPos, p.keyPos[kb:])
			n.Vals = p.take(vb)
			p.keys, p.keyPos = p.keys[:kb], p.keyPos[:kb]
			return n, nil
		default:
			return nil, p.errf("unexpected %s, expecting ',' or '}'", p.describe())
		}
	}
}

// take pops the values from vb up off the stack, into a slice of their own.
func (p *jsonParser) take(vb int) []*Node {
	vals := cut(&p.valSlab, len(p.vals)-vb)
	copy(vals, p.vals[vb:])
	p.vals = p.vals[:vb] // stale pointers above are harmless: the parser is dropped with them
	return vals
}

func (p *jsonParser) array(depth int) (*Node, error) {
	n := p.node(Array, p.pos)
	p.pos++
	p.skipWS()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		n.End = p.pos
		return n, nil
	}
	vb := len(p.vals)
	for {
		p.skipWS()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.vals = append(p.vals, v)
		p.skipWS()
		if p.pos >= len(p.src) {
			return nil, p.errf("unexpected end of input in array")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			n.End = p.pos
			n.Vals = p.take(vb)
			return n, nil
		default:
			return nil, p.errf("unexpected %s, expecting ',' or ']'", p.describe())
		}
	}
}
