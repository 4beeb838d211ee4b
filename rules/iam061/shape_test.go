package iam061

import (
	"regexp"
	"testing"
)

// TestShape compares the hand-written matchers with the regular
// expressions they spell out.
func TestShape(t *testing.T) {
	for _, c := range []struct {
		name string
		sh   func(string) bool
		re   *regexp.Regexp
	}{
		{"regionLike", regionLike, regexp.MustCompile(`^[a-z][a-z0-9-]*$`)},
		{"serviceLike", serviceLike, regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)},
	} {
		for _, s := range []string{"", "us-east-1", "US-east-1", "1us", "s3", "execute-api", "a.b", "a_b", "-a", ".a", "a-", "a.", "global", "eu west", "é"} {
			if got, want := c.sh(s), c.re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v, regexp %s says %v", c.name, s, got, c.re, want)
			}
		}
	}
}
