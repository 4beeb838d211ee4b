package srcloc

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// SourceMap is a decoded source map (version 3, without index sections).
type SourceMap struct {
	// Sources are the original files, resolved against sourceRoot and the
	// map's directory (absolute when the map was read from a file).
	Sources []string
	// lines[generated line] lists the segments of that line, by column.
	lines [][]segment
}

type segment struct {
	genCol          int
	src             int // -1: no source
	srcLine, srcCol int
}

type rawSourceMap struct {
	Version    int               `json:"version"`
	SourceRoot string            `json:"sourceRoot"`
	Sources    []string          `json:"sources"`
	Mappings   string            `json:"mappings"`
	Sections   []json.RawMessage `json:"sections"`
}

// ParseSourceMap decodes a source map. dir is the directory its relative
// sources are resolved against ("" keeps them as written).
func ParseSourceMap(data []byte, dir string) (*SourceMap, error) {
	data = []byte(strings.TrimPrefix(string(data), ")]}'")) // XSSI prefix allowed by the spec
	var raw rawSourceMap
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if raw.Version != 3 {
		return nil, errors.New("source map: not version 3")
	}
	if len(raw.Sections) > 0 {
		return nil, errors.New("source map: index maps are not supported")
	}
	lines, err := decodeMappings(raw.Mappings)
	if err != nil {
		return nil, err
	}
	m := &SourceMap{lines: lines}
	for _, s := range raw.Sources {
		m.Sources = append(m.Sources, resolveSource(dir, raw.SourceRoot, s))
	}
	return m, nil
}

// resolveSource joins a source with the map's sourceRoot and directory.
// URLs other than file:// are kept as written (they name no local file).
func resolveSource(dir, root, src string) string {
	if strings.HasPrefix(src, "file://") {
		return fileFromURL(src)
	}
	if strings.Contains(src, "://") {
		return src
	}
	if root != "" && !filepath.IsAbs(src) {
		if strings.HasPrefix(root, "file://") {
			root = fileFromURL(root)
		} else if strings.Contains(root, "://") {
			return root + src
		}
		src = strings.TrimSuffix(root, "/") + "/" + src
	}
	if u, err := url.PathUnescape(src); err == nil {
		src = u
	}
	if filepath.IsAbs(src) || isDrive(src) || dir == "" {
		return filepath.FromSlash(src)
	}
	return filepath.Join(dir, filepath.FromSlash(src))
}

// Lookup maps a generated position (1-based line, 1-based column; 0 =
// unknown) to the original source index, 1-based line and 1-based column.
// It takes the last segment at or before the column (the greatest lower
// bound), else the first segment of the line.
func (m *SourceMap) Lookup(line, col int) (src string, oline, ocol int, ok bool) {
	if line < 1 || line > len(m.lines) {
		return "", 0, 0, false
	}
	gc := col - 1
	var best, first *segment
	for i := range m.lines[line-1] {
		s := &m.lines[line-1][i]
		if s.src < 0 {
			continue
		}
		if first == nil {
			first = s
		}
		if s.genCol > gc {
			break
		}
		best = s
	}
	if best == nil {
		best = first
	}
	if best == nil || best.src >= len(m.Sources) {
		return "", 0, 0, false
	}
	return m.Sources[best.src], best.srcLine + 1, best.srcCol + 1, true
}

var b64 = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = int8(i)
	}
	return
}()

// decodeMappings decodes the "mappings" field: lines separated by ';',
// segments by ',', each segment 1, 4 or 5 base64 VLQ fields, relative to
// the previous segment (the generated column restarts on each line).
func decodeMappings(s string) ([][]segment, error) {
	var lines [][]segment
	var cur []segment
	src, srcLine, srcCol := 0, 0, 0 // the name index (5th field) is not needed
	genCol := 0
	i := 0
	for i <= len(s) {
		if i == len(s) || s[i] == ';' {
			lines = append(lines, cur)
			cur = nil
			genCol = 0
			i++
			continue
		}
		if s[i] == ',' {
			i++
			continue
		}
		var fields [5]int
		n := 0
		for i < len(s) && s[i] != ',' && s[i] != ';' {
			v, next, err := vlq(s, i)
			if err != nil {
				return nil, err
			}
			if n < 5 {
				fields[n] = v
			}
			n++
			i = next
		}
		if n != 1 && n != 4 && n != 5 {
			return nil, errors.New("source map: segment with " + strconv.Itoa(n) + " fields")
		}
		genCol += fields[0]
		seg := segment{genCol: genCol, src: -1}
		if n >= 4 {
			src += fields[1]
			srcLine += fields[2]
			srcCol += fields[3]
			seg.src, seg.srcLine, seg.srcCol = src, srcLine, srcCol
		}
		if genCol < 0 || src < 0 || srcLine < 0 || srcCol < 0 {
			return nil, errors.New("source map: negative position")
		}
		cur = append(cur, seg)
	}
	return lines, nil
}

// vlq decodes one base64 VLQ value starting at s[i].
func vlq(s string, i int) (int, int, error) {
	v, shift := 0, 0
	for {
		if i >= len(s) {
			return 0, i, errors.New("source map: truncated VLQ")
		}
		d := b64[s[i]]
		if d < 0 {
			return 0, i, errors.New("source map: bad base64 character " + strconv.QuoteRune(rune(s[i])))
		}
		i++
		if shift > 30 {
			return 0, i, errors.New("source map: VLQ overflow")
		}
		v |= int(d&31) << shift
		if d&32 == 0 {
			break
		}
		shift += 5
	}
	if v&1 == 1 {
		return -(v >> 1), i, nil
	}
	return v >> 1, i, nil
}

// maxSourceFile bounds the compiled files and maps read (a bundle can be
// large; a map beyond this is skipped, never an error).
const maxSourceFile = 64 << 20

// LoadSourceMap finds the source map of a compiled JavaScript file: the
// last //# sourceMappingURL= comment (a data: URL or a path relative to
// the file), else a sibling file.js.map. It returns nil when there is none.
func LoadSourceMap(jsPath string, src []byte) *SourceMap {
	if ref := mappingURL(src); ref != "" {
		if strings.HasPrefix(ref, "data:") {
			if data, ok := decodeDataURL(ref); ok {
				if m, err := ParseSourceMap(data, filepath.Dir(jsPath)); err == nil {
					return m
				}
			}
			return nil
		}
		p := ref
		if strings.HasPrefix(p, "file://") {
			p = fileFromURL(p)
		} else if strings.Contains(p, "://") {
			p = ""
		} else if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		if p != "" {
			if !filepath.IsAbs(p) {
				p = filepath.Join(filepath.Dir(jsPath), filepath.FromSlash(p))
			}
			if m := readMap(p); m != nil {
				return m
			}
		}
	}
	return readMap(jsPath + ".map")
}

func readMap(p string) *SourceMap {
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxSourceFile {
		return nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	m, err := ParseSourceMap(data, filepath.Dir(p))
	if err != nil {
		return nil
	}
	return m
}

// mappingURL returns the value of the last sourceMappingURL comment.
func mappingURL(src []byte) string {
	s := string(src)
	best := -1
	for _, marker := range []string{"//# sourceMappingURL=", "//@ sourceMappingURL="} {
		if i := strings.LastIndex(s, marker); i > best {
			best = i + len(marker)
		}
	}
	if best < 0 {
		return ""
	}
	rest := s[best:]
	if i := strings.IndexAny(rest, "\r\n"); i >= 0 {
		rest = rest[:i]
	}
	return strings.TrimSpace(rest)
}

func decodeDataURL(ref string) ([]byte, bool) {
	meta, data, ok := strings.Cut(strings.TrimPrefix(ref, "data:"), ",")
	if !ok {
		return nil, false
	}
	if strings.HasSuffix(meta, ";base64") {
		b, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(data)
		}
		return b, err == nil
	}
	u, err := url.PathUnescape(data)
	return []byte(u), err == nil
}
