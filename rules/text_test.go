package rules

import (
	"testing"

	"github.com/iamvet/iamvet/internal/iampolicy"
)

func TestList(t *testing.T) {
	for _, c := range []struct {
		items []string
		max   int
		want  string
	}{
		{nil, 3, ""},
		{[]string{"a"}, 3, "a"},
		{[]string{"a", "b"}, 3, "a and b"},
		{[]string{"a", "b", "c"}, 3, "a, b and c"},
		{[]string{"a", "b", "c", "d"}, 3, "a, b, c and 1 more"},
		{[]string{"a", "b", "c", "d", "e"}, 0, "a, b, c, d and e"},
	} {
		if got := List(c.items, c.max); got != c.want {
			t.Errorf("List(%q, %d) = %q, want %q", c.items, c.max, got, c.want)
		}
	}
	vs := []iampolicy.Value{{Text: "s3:*"}, {Text: `a"b`}}
	if got := List(Quoted(vs), 3); got != `"s3:*" and "a\"b"` {
		t.Errorf("quoted list = %s", got)
	}
	if got := List(Texts(vs), 3); got != `s3:* and a"b` {
		t.Errorf("texts list = %s", got)
	}
}
