package cfn

// Regression tests for bugs found while writing the tests (and fixed).

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// ParseYAML strips a UTF-8 BOM before parsing, so every offset is 3 bytes
// short of the source the loader registers in the token.File: keys at
// column 1–3 land on the previous line, others 3 columns early.
func TestRegressionYAMLOffsetsAfterBOM(t *testing.T) {
	src := "\xef\xbb\xbfResources:\n  Role:\n    Type: AWS::IAM::Role\n"
	n := mustYAML(t, src)
	res := n.Get("Resources")
	for _, c := range []struct {
		off  int
		want string
	}{
		{n.KeyPos[0], "Resources:"},
		{res.KeyPos[0], "Role:"},
		{res.Get("Role").Get("Type").Start, "AWS::IAM::Role"},
	} {
		if !strings.HasPrefix(src[c.off:], c.want) {
			t.Errorf("offset %d points at %q, want %q", c.off, src[c.off:], c.want)
		}
	}
}

// yaml.v3 positions a tagged scalar at its tag, and ParseYAML uses that
// position for the argument of a short-form intrinsic: the string of
// !Sub "x" starts at "!Sub", and the parts of !GetAtt A.B are offset by the
// tag's length ("A" spans "!GetA"). When escapes make the value longer than
// its source (\L is 2 bytes in the source, 3 decoded), the attribute's span
// is reversed and ends past the source: src[n.Start:n.End] panics.
func TestRegressionShortFormArgumentSpans(t *testing.T) {
	src := "a: !Sub \"${AWS::StackName}-role\"\nb: !GetAtt Other.Arn\n"
	n := mustYAML(t, src)
	text := func(n *Node) string { return src[n.Start:min(n.End, len(src))] }
	if got := text(n.Path("a", "Fn::Sub")); got != `"${AWS::StackName}-role"` {
		t.Errorf("!Sub argument spans %q", got)
	}
	ga := n.Path("b", "Fn::GetAtt")
	if got := []string{text(ga.Vals[0]), text(ga.Vals[1])}; !reflect.DeepEqual(got, []string{"Other", "Arn"}) {
		t.Errorf("!GetAtt parts span %q", got)
	}
	esc := `v: !GetAtt "` + strings.Repeat(`\L`, 12) + `.x"`
	if p := spanProblem(mustYAML(t, esc), len(esc)); p != "" {
		t.Errorf("ParseYAML(%s): %s", esc, p)
	}
}

// The YAML alias limit counts expanded nodes up to 2,000,000 whatever the
// document's size: a 478-byte billion-laughs document allocates ~240 MB
// before it is rejected, per template and in parallel across templates.
func TestRegressionAliasBombAllocatesHundredsOfMB(t *testing.T) {
	src := []byte(billionLaughs(10))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ParseYAML(src)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("accepted")
	}
	if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 32 {
		t.Errorf("%d-byte document allocated %d MiB before the alias limit stopped it", len(src), mb)
	}
}

// ParseJSON accepts numbers with leading zeros, which JSON (and
// CloudFormation) reject; cfngo then reads 010 as octal 8.
func TestRegressionJSONLeadingZeros(t *testing.T) {
	for _, src := range []string{`01`, `-01`, `{"MaxSessionDuration": 03600}`, `[00]`} {
		if n, err := ParseJSON([]byte(src)); err == nil {
			t.Errorf("ParseJSON(%s) = %s, want an error", src, render(n))
		}
	}
}
