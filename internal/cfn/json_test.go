package cfn

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{}`, `{}`},
		{`[]`, `[]`},
		{` {"b": 1, "a": [true, false, null, -0.5e+3, "x"]} `, `{"b":1,"a":[true,false,null,-0.5e+3,"x"]}`},
		{`{"k": "\u00e9\n\"\\\/"}`, `{"k":"é\n\"\\/"}`},
		{`{"é": "ünïcode ✓"}`, `{"é":"ünïcode ✓"}`},
		{"\xef\xbb\xbf{\"bom\": 1}", `{"bom":1}`},
		{`"top-level string"`, `"top-level string"`},
		{`42`, `42`},
		{"{\"a\":\t{\r\n\"b\" : [ ] } }", `{"a":{"b":[]}}`},
		{`{"Statement": [{"Condition": {"StringEquals": {"aws:PrincipalTag/team": "x"}}}]}`,
			`{"Statement":[{"Condition":{"StringEquals":{"aws:PrincipalTag/team":"x"}}}]}`},
	}
	for _, tt := range tests {
		n := mustJSON(t, tt.in)
		if got := render(n); got != tt.want {
			t.Errorf("ParseJSON(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if p := spanProblem(n, len(tt.in)); p != "" {
			t.Errorf("ParseJSON(%q): %s", tt.in, p)
		}
	}
}

func TestParseJSONSpans(t *testing.T) {
	src := "\xef\xbb\xbf{\n \"Role\": {\"Type\": \"AWS::IAM::Role\", \"N\": -12.5, \"L\": [true, null]}\n}"
	n := mustJSON(t, src)
	text := func(n *Node) string { return src[n.Start:n.End] }
	if text(n) != src[3:] {
		t.Errorf("root span = %q", text(n))
	}
	role := n.Get("Role")
	if !strings.HasPrefix(src[n.KeyPos[0]:], `"Role"`) {
		t.Errorf("key position %d points at %q", n.KeyPos[0], src[n.KeyPos[0]:])
	}
	for _, c := range []struct {
		n    *Node
		want string
	}{
		{role.Get("Type"), `"AWS::IAM::Role"`},
		{role.Get("N"), `-12.5`},
		{role.Get("L"), `[true, null]`},
		{role.Get("L").Vals[0], `true`},
		{role.Get("L").Vals[1], `null`},
		{role, `{"Type": "AWS::IAM::Role", "N": -12.5, "L": [true, null]}`},
	} {
		if got := text(c.n); got != c.want {
			t.Errorf("span %q, want %q", got, c.want)
		}
	}
	if got := NodeAt(n, strings.Index(src, "IAM")); got != role.Get("Type") {
		t.Errorf("NodeAt(IAM) = %s", render(got))
	}
}

func TestParseJSONErrors(t *testing.T) {
	tests := []struct {
		name, in string
		off      int
		msg      string
	}{
		{"empty", ``, 0, "empty document"},
		{"blank", " \n\t", 3, "empty document"},
		{"bom only", "\xef\xbb\xbf", 3, "empty document"},
		{"truncated object", `{"Resources": {"A": 1`, 21, "unexpected end of input in object"},
		{"truncated string", `{"Resources`, 1, "unterminated string"},
		{"truncated array", `[1,`, 3, "unexpected end of input"},
		{"trailing", `{} {}`, 3, `unexpected '{' after top-level value`},
		{"trailing comma", `{"a": 1,}`, 8, "expecting an object key"},
		{"missing colon", `{"a" 1}`, 5, "expecting ':'"},
		{"bare word", `{"a": nope}`, 6, `invalid literal, expecting "null"`},
		{"single quotes", `{'a': 1}`, 1, "expecting an object key"},
		{"duplicate key", `{"a": 1, "b": 2, "a": 3}`, 17, `duplicate key "a"`},
		{"duplicate key nested", "{\"R\": {\"Type\": \"x\",\n \"Type\": \"y\"}}", 21, `duplicate key "Type"`},
		{"invalid utf8 in string", "{\"a\": \"\xff\"}", 7, "invalid UTF-8 in string"},
		{"invalid utf8 outside", "{\"a\": 1}\xff", 8, "after top-level value"},
		{"control char", "{\"a\": \"x\ny\"}", 8, "control character in string"},
		{"bad escape", `{"a": "\x"}`, 6, "invalid string escape"},
		{"bad number", `{"a": -}`, 7, "invalid number"},
		{"bad fraction", `{"a": 1.}`, 8, "invalid number"},
		{"bad exponent", `{"a": 1e}`, 8, "invalid number exponent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseJSON([]byte(tt.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseJSON(%q) = %s, %v; want a SyntaxError", tt.in, render(n), err)
			}
			if se.Offset != tt.off || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("ParseJSON(%q) error at %d %q, want at %d containing %q", tt.in, se.Offset, se.Msg, tt.off, tt.msg)
			}
		})
	}
}

func TestParseJSONDuplicateKeyInWideObject(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 40; i++ {
		b.WriteString(`"k` + strings.Repeat("x", i) + `": 1, `)
	}
	ok := b.String() + `"last": 1}`
	if _, err := ParseJSON([]byte(ok)); err != nil {
		t.Fatalf("wide object: %v", err)
	}
	dup := b.String() + `"kxxx": 2}`
	if _, err := ParseJSON([]byte(dup)); err == nil || !strings.Contains(err.Error(), `duplicate key "kxxx"`) {
		t.Errorf("wide object with a duplicate: %v", err)
	}
}

func TestParseJSONDepth(t *testing.T) {
	for _, tt := range []struct {
		name string
		src  []byte
	}{
		{"100k arrays", bytes.Repeat([]byte("["), 100_000)},
		{"100k objects", bytes.Repeat([]byte(`{"a":`), 100_000)},
	} {
		_, err := ParseJSON(tt.src)
		if err == nil || !strings.Contains(err.Error(), "nesting deeper than 512 levels") {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	ok := strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)
	if _, err := ParseJSON([]byte(ok)); err != nil {
		t.Errorf("%d levels: %v", MaxDepth+1, err)
	}
	deep := strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2)
	if _, err := ParseJSON([]byte(deep)); err == nil {
		t.Errorf("%d levels accepted", MaxDepth+2)
	}
}
