package iam059

import "strings"

// A pattern is one ARN part as a sequence of tokens: literal bytes, "?"
// (any byte), "*" (any run of bytes), and the restricted forms of the
// last two that match no "/" (a bucket or table name, which cannot hold
// one).
type pattern []token

type token struct {
	kind byte // 'c' literal, '?' any byte, '*' any run
	c    byte // the literal, lower-cased
	// noSlash restricts '?' and '*' to bytes other than '/'.
	noSlash bool
}

// compile turns an ARN part into a pattern: "*" and "?" are wildcards
// (IAM's resource wildcards; in an ARN format they do not occur), and
// every ${…} placeholder is a "*", restricted to no "/" when
// noSlash(name) says so, or with nonEmpty (for the parts of ARN formats
// whose placeholders always stand for some text: a region, a resource
// name; not the account, which AWS-owned resources such as public SSM
// documents and AMIs leave empty) a "?" followed by a "*".
// Literals are lower-cased: the comparison ignores case, which can only
// make a match more likely.
func compile(part string, noSlash func(name string) bool, nonEmpty bool) pattern {
	p := make(pattern, 0, len(part))
	for i := 0; i < len(part); i++ {
		c := part[i]
		switch {
		case c == '$' && i+1 < len(part) && part[i+1] == '{':
			j := strings.IndexByte(part[i:], '}')
			if j < 0 {
				p = append(p, token{kind: '*'})
				return p
			}
			ns := noSlash != nil && noSlash(part[i+2:i+j])
			if nonEmpty {
				p = append(p, token{kind: '?', noSlash: ns})
			}
			p = append(p, token{kind: '*', noSlash: ns})
			i += j
		case c == '*':
			p = append(p, token{kind: '*'})
		case c == '?':
			p = append(p, token{kind: '?'})
		default:
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			p = append(p, token{kind: 'c', c: c})
		}
	}
	return p
}

// accepts reports whether a single-byte token (a literal, or "?" / "*"
// consuming one byte) can produce b.
func (t token) accepts(b byte) bool {
	if t.kind == 'c' {
		return t.c == b
	}
	return !(t.noSlash && b == '/')
}

// common reports whether two tokens can produce the same byte.
func common(a, b token) bool {
	switch {
	case a.kind == 'c':
		return b.accepts(a.c)
	case b.kind == 'c':
		return a.accepts(b.c)
	}
	return true // two wildcards agree on any byte but "/" at worst
}

// intersect reports whether some string matches both patterns. It
// explores the product of the two patterns' automata: a state is a
// position in each, a "*" may be skipped or consume a byte and stay, any
// other token consumes one byte.
func intersect(p, q pattern) bool {
	// Literal prefixes decide most pairs (different services, resource
	// types) without exploring.
	for k := 0; k < len(p) && k < len(q) && p[k].kind == 'c' && q[k].kind == 'c'; k++ {
		if p[k].c != q[k].c {
			return false
		}
	}
	// A lone unrestricted "*" (an ARN part that is a placeholder or "*")
	// meets every pattern.
	if p.anything() || q.anything() {
		return true
	}
	w := len(q) + 1
	n := ((len(p)+1)*w + 63) / 64
	var buf [64]uint64 // 4,096 states without allocating
	x := intersection{p: p, q: q, w: w}
	if n <= len(buf) {
		x.seen = buf[:n]
	} else {
		x.seen = make([]uint64, n)
	}
	return x.visit(0, 0)
}

// anything reports whether p is a single "*" that may produce "/".
func (p pattern) anything() bool {
	return len(p) == 1 && p[0].kind == '*' && !p[0].noSlash
}

// intersection is the search state of intersect.
type intersection struct {
	p, q pattern
	w    int
	seen []uint64 // bit i*w+j
}

func (x *intersection) visit(i, j int) bool {
	p, q := x.p, x.q
	for {
		k := i*x.w + j
		if x.seen[k/64]&(1<<(k%64)) != 0 {
			return false
		}
		x.seen[k/64] |= 1 << (k % 64)
		if i == len(p) && j == len(q) {
			return true
		}
		if i < len(p) && p[i].kind == '*' && x.visit(i+1, j) {
			return true
		}
		if j < len(q) && q[j].kind == '*' && x.visit(i, j+1) {
			return true
		}
		if i == len(p) || j == len(q) || !common(p[i], q[j]) {
			return false
		}
		ni, nj := i+1, j+1
		if p[i].kind == '*' {
			ni = i
		}
		if q[j].kind == '*' {
			nj = j
		}
		if ni == i && nj == j {
			return false // two stars consuming together: covered by skipping either
		}
		i, j = ni, nj
	}
}
