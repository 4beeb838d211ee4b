package iam061

import (
	"strconv"
	"strings"

	"github.com/iamvet/iamvet/rules/internal/trust"
)

// ARN is an ARN split into its six parts, as written: each part may hold
// wildcards and ${…} placeholders (policy variables, or intrinsic
// functions as cfn.Sym renders them).
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// SplitARN splits text, which must start with "arn:", into its six parts
// arn:partition:service:region:account:resource. Colons inside ${…} do not
// split (arn:${AWS::Partition}:s3:::b has six parts) and the resource part
// keeps any further colons. ok is false when text is not an ARN or has
// fewer than six parts.
func SplitARN(text string) (a ARN, ok bool) {
	parts := trust.SplitARN(text)
	if len(parts) != 6 || parts[0] != "arn" {
		return ARN{}, false
	}
	return ARN{parts[1], parts[2], parts[3], parts[4], parts[5]}, true
}

// Partitions are the AWS partitions an ARN may name.
var Partitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

// regionLike is ^[a-z][a-z0-9-]*$, deliberately loose (AWS adds regions,
// and a few ARNs use names such as "global"): it catches account ids and
// other text in the region's place. Written out, like serviceLike, because
// it runs on every ARN of every statement.
func regionLike(s string) bool {
	return s != "" && lowerLetter(s[0]) && allBytes(s[1:], func(c byte) bool { return lowerLetter(c) || digit(c) || c == '-' })
}

// serviceLike is ^[a-z0-9][a-z0-9.-]*$.
func serviceLike(s string) bool {
	return s != "" && (lowerLetter(s[0]) || digit(s[0])) && allBytes(s[1:], func(c byte) bool { return lowerLetter(c) || digit(c) || c == '-' || c == '.' })
}

func lowerLetter(c byte) bool { return 'a' <= c && c <= 'z' }
func digit(c byte) bool       { return '0' <= c && c <= '9' }

func allBytes(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func symbolic(s string) bool { return strings.Contains(s, "${") }
func wild(s string) bool     { return strings.ContainsAny(s, "*?") }

// ARNProblem returns what makes text, a Resource value starting with
// "arn:", malformed ("" if nothing does): fewer than six parts, an unknown
// partition, an empty or invalid service, a region or account of the wrong
// shape, an empty resource. Parts that hold ${…} or wildcards are not
// judged, and a value with fewer than six parts is only judged when it is
// free of both (a wildcard or an unresolved value might stand for the
// missing colons).
func ARNProblem(text string) string {
	parts := trust.SplitARN(text)
	if len(parts) < 6 {
		if symbolic(text) || wild(text) {
			return ""
		}
		return "has " + itoa(len(parts)) + " of the six colon-separated parts arn:partition:service:region:account:resource"
	}
	a := ARN{parts[1], parts[2], parts[3], parts[4], parts[5]}
	if p := partitionProblem(a.Partition); p != "" {
		return p
	}
	switch {
	case symbolic(a.Service) || wild(a.Service):
	case a.Service == "":
		return "has an empty service part"
	case !serviceLike(a.Service):
		return "has service part " + quote(a.Service) + ", which is not a service prefix"
	}
	if r := a.Region; r != "" && !symbolic(r) && !wild(r) && !regionLike(r) {
		return "has region part " + quote(r) + ", which is not a region"
	}
	if p := accountProblem(a.Account, false); p != "" {
		return p
	}
	if a.Resource == "" {
		return "has an empty resource part"
	}
	return ""
}

func partitionProblem(p string) string {
	if symbolic(p) || wild(p) {
		return ""
	}
	for _, q := range Partitions {
		if p == q {
			return ""
		}
	}
	return "has partition " + quote(p) + ", which is not an AWS partition (aws, aws-cn, aws-us-gov, …)"
}

// accountProblem judges an account part: empty, 12 digits, a wildcard
// pattern (unless principal), ${…}, or "aws" (AWS managed resources).
func accountProblem(acct string, principal bool) string {
	switch {
	case acct == "" && !principal, symbolic(acct), acct == "aws" && !principal:
		return ""
	case wild(acct):
		return "" // principals report wildcards themselves
	case acct == "":
		return "has no account id"
	case isDigits(acct) && len(acct) != 12:
		return "has account id " + quote(acct) + " with " + itoa(len(acct)) + " digits instead of 12"
	case !isDigits(acct):
		return "has account part " + quote(acct) + ", which is not a 12-digit account id"
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func itoa(n int) string { return strconv.Itoa(n) }

func quote(s string) string { return strconv.Quote(s) }
