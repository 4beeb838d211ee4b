package rules

import (
	"strconv"
	"strings"

	"github.com/iamvet/iamvet/internal/iampolicy"
)

// List joins items for messages: "a", "a and b", "a, b and c", and past
// max items (max > 0) "a, b, c and 4 more".
func List(items []string, max int) string {
	n := len(items)
	switch {
	case n == 0:
		return ""
	case n == 1:
		return items[0]
	case max > 0 && n > max:
		return strings.Join(items[:max], ", ") + " and " + strconv.Itoa(n-max) + " more"
	}
	return strings.Join(items[:n-1], ", ") + " and " + items[n-1]
}

// Texts returns the values' texts.
func Texts(vs []iampolicy.Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Text
	}
	return out
}

// Quoted returns the values' texts, quoted as Go quotes them ("s3:*").
func Quoted(vs []iampolicy.Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strconv.Quote(v.Text)
	}
	return out
}
