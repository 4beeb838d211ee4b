package iamdata

// The helpers here compare ASCII case-insensitively without allocating.
// Service prefixes and action names are ASCII (the generator checks), so
// folding ASCII letters is all that case-insensitivity needs, and not
// lower-casing 22,000 names keeps decoding cheap.

// lower returns b with ASCII upper-case letters folded to lower case.
func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// lowerASCII returns s with ASCII upper-case letters folded to lower case.
// Unlike strings.ToLower it leaves other characters alone, so that no
// non-ASCII input (such as the Kelvin sign, which Unicode folds to "k") can
// match an ASCII name, and it returns s itself, without allocating, when
// there is nothing to fold, which is the usual case.
func lowerASCII(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		b[i] = lower(b[i])
	}
	return string(b)
}

// compareFold compares a and b like strings.Compare after folding ASCII
// letters to lower case.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := lower(a[i]), lower(b[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// equalFold reports whether a and b are equal after folding ASCII letters.
func equalFold(a, b string) bool {
	return len(a) == len(b) && compareFold(a, b) == 0
}

// MatchFold reports whether s matches the glob pattern, in which "*"
// matches any run of bytes and "?" any single byte; other bytes compare
// ASCII case-insensitively, as IAM compares action names.
func MatchFold(pattern, s string) bool { return match(pattern, s, true) }

// matchFold is MatchFold for a pattern the caller has lower-cased: other
// pattern bytes must equal the lower-cased byte of s.
func matchFold(pattern, s string) bool { return match(pattern, s, false) }

// match is MatchFold and matchFold; foldPattern lower-cases pattern bytes.
//
// It backtracks only to the most recent "*", which is enough for this
// pattern language and keeps the cost at O(len(pattern)*len(s)) even for
// patterns like "*a*a*a*b".
func match(pattern, s string, foldPattern bool) bool {
	p, i := 0, 0
	star, starI := -1, 0 // position after the last "*" seen, and where it began matching in s
	for i < len(s) {
		if p < len(pattern) {
			c := pattern[p]
			if foldPattern {
				c = lower(c)
			}
			switch {
			case c == '*':
				p++
				star, starI = p, i
				continue
			case c == '?' || c == lower(s[i]):
				p++
				i++
				continue
			}
		}
		if star < 0 {
			return false
		}
		// Let the last "*" swallow one more byte and retry from there.
		starI++
		p, i = star, starI
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// distance computes the optimal string alignment distance (Levenshtein plus
// adjacent transpositions) between ASCII-folded strings, reusing its rows
// across calls.
type distance struct {
	prev2, prev, cur []int
}

func (d *distance) between(a, b string) int {
	n := len(b) + 1
	if cap(d.cur) < n {
		d.prev2, d.prev, d.cur = make([]int, n), make([]int, n), make([]int, n)
	}
	prev2, prev, cur := d.prev2[:n], d.prev[:n], d.cur[:n]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		ai := lower(a[i-1])
		for j := 1; j < n; j++ {
			bj := lower(b[j-1])
			cost := 1
			if ai == bj {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ai == lower(b[j-2]) && lower(a[i-2]) == bj {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
		}
		prev2, prev, cur = prev, cur, prev2
	}
	d.prev2, d.prev, d.cur = prev2, prev, cur
	return prev[n-1]
}
