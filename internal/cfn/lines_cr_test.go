package cfn

import (
	"go/token"
	"reflect"
	"testing"
)

func TestLineStartsBreaks(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []int
	}{
		{"a\nb\n", []int{0, 2}},
		{"a\r\nb", []int{0, 3}},
		{"a\rb\nc\r", []int{0, 2, 4}}, // lone CR ends a line (YAML, editors)
		{"", nil},
	} {
		if got := LineStarts([]byte(tc.src)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("LineStarts(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
	// Without a lone CR the table equals the standard library's.
	src := []byte("{\r\n  \"a\": 1,\n  \"b\": [\n 2]\n}\n")
	f := token.NewFileSet().AddFile("x", -1, len(src))
	f.SetLinesForContent(src)
	if got := LineStarts(src); !reflect.DeepEqual(got, f.Lines()) {
		t.Errorf("LineStarts = %v, SetLinesForContent = %v", got, f.Lines())
	}
}
