package iam061

import (
	"regexp"
	"testing"
)

// TestShape compares the hand-written shapes with the regular expressions
// they spell out.
func TestShape(t *testing.T) {
	for _, c := range []struct {
		sh shape
		re *regexp.Regexp
	}{
		{regionRe, regexp.MustCompile(`^[a-z][a-z0-9-]*$`)},
		{serviceRe, regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)},
	} {
		for _, s := range []string{"", "us-east-1", "US-east-1", "1us", "s3", "execute-api", "a.b", "a_b", "-a", ".a", "a-", "a.", "global", "eu west", "é"} {
			if got, want := c.sh.MatchString(s), c.re.MatchString(s); got != want {
				t.Errorf("%+v.MatchString(%q) = %v, regexp %s says %v", c.sh, s, got, c.re, want)
			}
		}
	}
}
