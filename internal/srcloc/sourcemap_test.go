package srcloc

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// encodeVLQ is the inverse of vlq, for round-trip tests.
func encodeVLQ(v int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	u := v << 1
	if v < 0 {
		u = (-v << 1) | 1
	}
	var b strings.Builder
	for {
		d := u & 31
		u >>= 5
		if u > 0 {
			d |= 32
		}
		b.WriteByte(chars[d])
		if u == 0 {
			return b.String()
		}
	}
}

func TestVLQ(t *testing.T) {
	for s, want := range map[string]int{"A": 0, "C": 1, "D": -1, "E": 2, "gB": 16, "hB": -16, "2H": 123} {
		got, next, err := vlq(s, 0)
		if err != nil || got != want || next != len(s) {
			t.Errorf("vlq(%q) = %d, %d, %v; want %d", s, got, next, err, want)
		}
	}
	for _, v := range []int{0, 1, -1, 15, 16, -17, 1000, -123456, 1 << 20} {
		if got, _, err := vlq(encodeVLQ(v), 0); err != nil || got != v {
			t.Errorf("round trip %d: %d, %v", v, got, err)
		}
	}
	for _, bad := range []string{"g", "!", "gggggggggB"} {
		if _, _, err := vlq(bad, 0); err == nil {
			t.Errorf("vlq(%q) accepted", bad)
		}
	}
}

func TestDecodeMappings(t *testing.T) {
	// Line 1: nothing. Line 2: col 0 → src 0 line 0 col 0; col 4 → line 0
	// col 6. Line 3: col 2 → src 1 line 4 col 1 (with a name); a 1-field
	// segment at col 9. Line 4: col 0 → src 0 line 5 col 1 (source fields
	// stay relative across lines, the generated column restarts).
	mappings := ";" + "AAAA,IAAM" + ";" + "ECILC,O" + ";" + "ADCA"
	lines, err := decodeMappings(mappings)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]segment{
		nil,
		{{0, 0, 0, 0}, {4, 0, 0, 6}},
		{{2, 1, 4, 1}, {9, -1, 0, 0}},
		{{0, 0, 5, 1}},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d: %+v", len(lines), len(want), lines)
	}
	for i := range want {
		if len(lines[i]) != len(want[i]) {
			t.Fatalf("line %d: %+v, want %+v", i+1, lines[i], want[i])
		}
		for j := range want[i] {
			if lines[i][j] != want[i][j] {
				t.Errorf("line %d segment %d: %+v, want %+v", i+1, j, lines[i][j], want[i][j])
			}
		}
	}
	for _, bad := range []string{"AA", "AAAAAA", "A!", "D"} {
		if _, err := decodeMappings(bad); err == nil {
			t.Errorf("decodeMappings(%q) accepted", bad)
		}
	}
}

func TestSourceMapLookup(t *testing.T) {
	m, err := ParseSourceMap([]byte(`{"version":3,"sourceRoot":"src","sources":["a.ts","b.ts"],"names":[],"mappings":";AAAA,IAAM;ECILC,O;ADCA"}`), "/out")
	if err != nil {
		t.Fatal(err)
	}
	if m.Sources[0] != filepath.FromSlash("/out/src/a.ts") || m.Sources[1] != filepath.FromSlash("/out/src/b.ts") {
		t.Errorf("sources = %v", m.Sources)
	}
	for _, tc := range []struct {
		line, col   int
		src         string
		oline, ocol int
		ok          bool
	}{
		{2, 1, "a.ts", 1, 1, true},
		{2, 4, "a.ts", 1, 1, true},  // before the second segment
		{2, 5, "a.ts", 1, 7, true},  // exactly at it
		{2, 80, "a.ts", 1, 7, true}, // after it
		{2, 0, "a.ts", 1, 1, true},  // unknown column: the line's first segment
		{3, 1, "b.ts", 5, 2, true},  // before the first segment: the first one
		{3, 12, "b.ts", 5, 2, true}, // the 1-field segment has no source
		{4, 1, "a.ts", 6, 2, true},
		{1, 1, "", 0, 0, false}, // a line without segments
		{9, 1, "", 0, 0, false},
	} {
		src, l, c, ok := m.Lookup(tc.line, tc.col)
		if ok != tc.ok || l != tc.oline || c != tc.ocol || (ok && filepath.Base(src) != tc.src) {
			t.Errorf("Lookup(%d, %d) = %s %d %d %v; want %s %d %d %v", tc.line, tc.col, src, l, c, ok, tc.src, tc.oline, tc.ocol, tc.ok)
		}
	}
	if _, err := ParseSourceMap([]byte(`{"version":2,"sources":[],"mappings":""}`), ""); err == nil {
		t.Error("version 2 accepted")
	}
	if _, err := ParseSourceMap([]byte(`{"version":3,"sections":[{}]}`), ""); err == nil {
		t.Error("index map accepted")
	}
}

// TestSourceMapTSC maps positions through a real tsc source map
// (testdata/tsapp, see testdata/README.md).
func TestSourceMapTSC(t *testing.T) {
	js, _ := filepath.Abs("testdata/tsapp/dist/lib/stack.js")
	src, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	m := LoadSourceMap(js, src)
	if m == nil {
		t.Fatal("no source map found through sourceMappingURL")
	}
	ts, _ := filepath.Abs("testdata/tsapp/lib/stack.ts")
	// `new iam.Role(` is at stack.js:10:22 and stack.ts:10:28.
	if got, l, c, ok := m.Lookup(10, 22); !ok || got != ts || l != 10 || c != 28 {
		t.Errorf("Lookup(10, 22) = %s:%d:%d %v; want %s:10:28", got, l, c, ok, ts)
	}
	// The addToPolicy call: stack.js:13:9 → stack.ts:13:5.
	if got, l, c, ok := m.Lookup(13, 9); !ok || got != ts || l != 13 || c != 5 {
		t.Errorf("Lookup(13, 9) = %s:%d:%d %v; want stack.ts:13:5", got, l, c, ok)
	}
}

func TestLoadSourceMapVariants(t *testing.T) {
	dir := t.TempDir()
	mapJSON := `{"version":3,"sources":["../src/x.ts"],"mappings":"AAAA"}`
	// Inline data: URL.
	inline := "x();\n//# sourceMappingURL=data:application/json;charset=utf-8;base64," + base64.StdEncoding.EncodeToString([]byte(mapJSON)) + "\n"
	js := filepath.Join(dir, "out", "x.js")
	if err := os.MkdirAll(filepath.Dir(js), 0o755); err != nil {
		t.Fatal(err)
	}
	m := LoadSourceMap(js, []byte(inline))
	if m == nil || m.Sources[0] != filepath.Join(dir, "src", "x.ts") {
		t.Fatalf("inline map: %+v", m)
	}
	// No comment: the sibling .map.
	if err := os.WriteFile(js+".map", []byte(mapJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	if m := LoadSourceMap(js, []byte("x();\n")); m == nil || len(m.Sources) != 1 {
		t.Fatalf("sibling map: %+v", m)
	}
	// A comment naming another file; the last comment wins.
	other := filepath.Join(dir, "maps", "x.map")
	if err := os.MkdirAll(filepath.Dir(other), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte(`{"version":3,"sources":["y.ts"],"mappings":"AAAA"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	m = LoadSourceMap(js, []byte("//# sourceMappingURL=nothing.map\nx();\n//# sourceMappingURL=../maps/x.map\n"))
	if m == nil || m.Sources[0] != filepath.Join(dir, "maps", "y.ts") {
		t.Fatalf("referenced map: %+v", m)
	}
	// A broken map is no map.
	if err := os.WriteFile(js+".map", []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if m := LoadSourceMap(js, []byte("x();\n")); m != nil {
		t.Errorf("broken map: %+v", m)
	}
}
