package iam062

import (
	"regexp"
	"testing"
)

// TestPolicyVar compares policyVar with the regular expression it spells
// out.
func TestPolicyVar(t *testing.T) {
	re := regexp.MustCompile(`\$\{([A-Za-z0-9./-]+):[A-Za-z]`)
	for _, s := range []string{
		"", "${", "${aws:username}", "arn:${AWS::Partition}:s3:::b/${aws:username}/*",
		"${Import:Name}", "${a.b/c-d:x}", "${:x}", "${aws:1}", "${aws:", "x${$${s3:prefix}",
		"${Bucket.Arn}", "${saml:sub}${aws:userid}",
	} {
		start, end := policyVar(s, 0)
		loc := re.FindStringSubmatchIndex(s)
		switch {
		case loc == nil && start != -1:
			t.Errorf("policyVar(%q) = %d, %d; the regexp matches nothing", s, start, end)
		case loc != nil && (start != loc[0] || end != loc[3]):
			t.Errorf("policyVar(%q) = %d, %d; the regexp matches at %d, group ending %d", s, start, end, loc[0], loc[3])
		}
	}
}
