package cfn

import "bytes"

// LineStarts returns the byte offsets at which the lines of src start, as
// token.File.SetLinesForContent computes them (a final newline starts no
// line; empty content has no lines), for token.File.SetLines. It finds
// newlines with bytes.IndexByte, several times faster than a byte loop on
// large templates. A lone "\r" also ends a line (YAML counts it, and so do
// editors): sources that have one take the slower byte loop.
func LineStarts(src []byte) []int {
	if len(src) == 0 {
		return nil
	}
	if i := bytes.IndexByte(src, '\r'); i >= 0 && hasLoneCR(src[i:]) {
		lines := []int{0}
		for i, b := range src {
			if (b == '\n' || (b == '\r' && (i+1 == len(src) || src[i+1] != '\n'))) && i+1 < len(src) {
				lines = append(lines, i+1)
			}
		}
		return lines
	}
	lines := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return lines
		}
		off += i + 1
		if off >= len(src) {
			return lines
		}
		lines = append(lines, off)
	}
}

func hasLoneCR(src []byte) bool {
	for i, b := range src {
		if b == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			return true
		}
	}
	return false
}
