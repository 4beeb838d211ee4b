package cfn

// Failing tests for span problems left after 1e22751 (see the report for the
// proposed fix). Move them to regression_test.go once fixed.

import (
	"errors"
	"reflect"
	"testing"
)

// argSpans returns the source text of a short-form intrinsic's argument and
// of its elements.
func argSpans(t *testing.T, src string) []string {
	t.Helper()
	n := mustYAML(t, src)
	_, arg, ok := n.Vals[0].Intrinsic()
	if !ok {
		t.Fatalf("%q: not an intrinsic: %s", src, render(n))
	}
	out := []string{src[arg.Start:arg.End]}
	for _, e := range arg.Vals {
		out = append(out, src[e.Start:e.End])
	}
	return out
}

func TestBugShortFormSpansLeft(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		// The value may sit on the line after its tag.
		{"tag then newline", "a: !Sub\n  \"x-${Y}\"\n", []string{`"x-${Y}"`}},
		// The parts of a quoted !GetAtt are inside the quotes.
		{"quoted getatt", "b: !GetAtt \"Res.Attr\"\n", []string{`"Res.Attr"`, "Res", "Attr"}},
		// A comment after a plain tagged value is not part of it.
		{"comment", "e: !GetAtt Res.Attr # the role\n", []string{"Res.Attr", "Res", "Attr"}},
		{"ref comment", "r: !Ref Bucket # the bucket\n", []string{"Bucket"}},
	}
	for _, tt := range tests {
		if got := argSpans(t, tt.src); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: spans %q, want %q", tt.name, got, tt.want)
		}
	}
}

// With a byte order mark, the offset of invalid UTF-8 is 3 bytes early.
func TestBugYAMLInvalidUTF8OffsetAfterBOM(t *testing.T) {
	src := "\xef\xbb\xbfa: \xff\n"
	_, err := ParseYAML([]byte(src))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Offset != 6 {
		t.Errorf("error %#v, want invalid UTF-8 at offset 6", err)
	}
}
