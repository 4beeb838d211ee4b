package privesc

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
)

// Unconstrained reports whether an Allow statement applies to every
// resource its actions can reach: Resource "*", NotResource, or an ARN whose
// resource part is all wildcards (see WildcardResource), with no condition
// that narrows it (see Narrowing). Conditions on the keys in ignore are left
// out of the question (IAM023 asks it of iam:PassRole without
// iam:PassedToService, which narrows the receiving service, not the role).
func Unconstrained(st *iampolicy.Statement, ignore ...string) bool {
	// Rules ask it of the same statements many times (once per escalation
	// method and principal): once per statement for the sets of keys the
	// rules use.
	for _, k := range unconstrainedKeys {
		if slices.Equal(ignore, k.ignore) {
			return st.Memo(k, k.compute).(bool)
		}
	}
	return unconstrained(st, ignore...)
}

// unconstrainedKey is a Memo key of Unconstrained for one set of ignored
// condition keys.
type unconstrainedKey struct {
	ignore  []string
	compute func(*iampolicy.Statement) any
}

var unconstrainedKeys = []*unconstrainedKey{
	{nil, func(st *iampolicy.Statement) any { return unconstrained(st) }},
	{[]string{"iam:PassedToService"}, func(st *iampolicy.Statement) any { return unconstrained(st, "iam:PassedToService") }},
	{PassKeys, func(st *iampolicy.Statement) any { return unconstrained(st, PassKeys...) }},
}

func unconstrained(st *iampolicy.Statement, ignore ...string) bool {
	if !AllResources(st) {
		return false
	}
	for _, c := range st.Conditions {
		if iampolicy.KeyIn(c.Key, ignore) {
			continue
		}
		if Narrowing(c) {
			return false
		}
	}
	return true
}

// AllResources reports whether a statement names every resource:
// Resource "*", NotResource, or a resource value that WildcardResource
// accepts. Unresolved values (${?}) never count as wildcards.
func AllResources(st *iampolicy.Statement) bool {
	if st.NotResource || st.AllResources() {
		return true
	}
	for _, r := range st.Resources {
		if WildcardResource(r) {
			return true
		}
	}
	return false
}

// WildcardResource reports whether a resource value names every resource of
// its kind: "*", or an ARN whose resource part is wildcards only, optionally
// after the literal resource-type prefix the service's ARN formats use
// ("arn:aws:iam::123456789012:role/*", "arn:aws:s3:::*",
// "arn:${AWS::Partition}:lambda:*:*:function:*"). The partition, region and
// account may be anything: every role of one account is still every role
// the principal can reach there. "arn:aws:s3:::bucket/*" (one bucket's
// objects) and "arn:aws:iam::*:role/service-role/*" (a path) are scoped.
func WildcardResource(v iampolicy.Value) bool {
	t := v.Text
	if t == "*" {
		return v.Known
	}
	if !strings.Contains(t, "*") {
		return false // the resource part needs one (allWild); most ARNs have none
	}
	parts := trust.SplitARN(t)
	if len(parts) != 6 || parts[0] != "arn" {
		return false
	}
	res := parts[5]
	if trust.AllWild(res) {
		return true
	}
	svc := iamdata.LookupService(parts[2])
	if svc == nil {
		return false
	}
	for _, prefix := range resourcePrefixes(svc) {
		if rest, ok := cutPrefixFold(res, prefix); ok && trust.AllWild(rest) {
			return true
		}
	}
	return false
}

var prefixes sync.Map // *iamdata.Service → []string

// resourcePrefixes returns the literal resource-type prefixes of a
// service's ARN formats ("role/", "function:"), computed once per service.
func resourcePrefixes(svc *iamdata.Service) []string {
	if v, ok := prefixes.Load(svc); ok {
		return v.([]string)
	}
	var out []string
	for _, format := range svc.ResourceARNs {
		fp := trust.SplitARN(format)
		if len(fp) != 6 {
			continue
		}
		if prefix := literalPrefix(fp[5]); prefix != "" {
			out = append(out, prefix)
		}
	}
	prefixes.Store(svc, out)
	return out
}

// literalPrefix returns the resource-type prefix of an ARN format's resource
// part: "role/" for "role/${RoleNameWithPath}", "function:" for
// "function:${FunctionName}"; "" when the part starts with a variable.
func literalPrefix(res string) string {
	i := strings.Index(res, "${")
	if i <= 0 {
		return ""
	}
	p := res[:i]
	if !strings.HasSuffix(p, "/") && !strings.HasSuffix(p, ":") {
		return ""
	}
	return p
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return "", false
}

// requestKeys are condition keys about the request's circumstances (how,
// when and from where it is signed) rather than the resources it acts on:
// a condition on them leaves a statement's reach over resources whole. MFA
// conditions are the common case: an administrator with MFA can still
// escalate. aws:RequestTag and aws:TagKeys constrain the tags a request
// sets, not which existing resources it touches.
var requestKeys = []string{
	"aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:SecureTransport",
	"aws:RequestedRegion", "aws:CurrentTime", "aws:EpochTime", "aws:TokenIssueTime",
	"aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp",
	"aws:UserAgent", "aws:Referer", "aws:ViaAWSService", "aws:CalledVia",
	"aws:CalledViaFirst", "aws:CalledViaLast", "aws:PrincipalType",
	"aws:RequestTag/*", "aws:TagKeys",
}

// Narrowing reports whether a condition can narrow what a statement
// reaches. It cannot when it tests a request-circumstance key (MFA, TLS,
// region, time, network, user agent, request tags), when it uses IfExists
// or ForAllValues: (both pass when the key is absent), or when every value
// is a bare wildcard. Any other condition counts as narrowing, including
// unknown keys and unresolved values: the rules stay silent rather than
// call an unknown safe or unsafe.
func Narrowing(c iampolicy.Condition) bool {
	if iampolicy.KeyIn(c.Key, requestKeys) {
		return false
	}
	if c.IfExists || strings.EqualFold(c.Set, "ForAllValues") {
		return false
	}
	if len(c.Values) == 0 {
		return true
	}
	for _, v := range c.Values {
		if !v.Known || strings.Trim(v.Text, "*") != "" {
			return true
		}
	}
	// Every value is "*": StringLike "*" matches anything.
	return !strings.Contains(strings.ToLower(c.Base), "like")
}

// Covers reports whether a known action value grants action ("iam:PassRole"),
// by IAM's case-insensitive wildcard matching.
func Covers(v iampolicy.Value, action string) bool {
	return v.Known && iampolicy.MatchWildcard(strings.TrimSpace(v.Text), action)
}

// IsFull reports whether an action value is every action ("*", "*:*").
func IsFull(v iampolicy.Value) bool { return wildcard.IsFull(v) }

// IsServiceWide reports whether an action value is "svc:*".
func IsServiceWide(v iampolicy.Value) bool { return wildcard.ServiceWide(v) != "" }

// Skipped reports whether a document is outside the identity rules' remit:
// AWS::IoT::Policy documents are device policies (IAM054), not IAM.
func Skipped(d *iampolicy.Document) bool { return d.ResourceType == "AWS::IoT::Policy" }

// OnWhat describes the resources of an unconstrained statement for messages:
// "every resource", "every resource except …" or the wildcard ARN.
func OnWhat(st *iampolicy.Statement) string {
	if st.NotResource {
		return "every resource except " + rules.List(rules.Quoted(st.Resources), 3)
	}
	if st.AllResources() {
		return "every resource"
	}
	for _, r := range st.Resources {
		if WildcardResource(r) {
			return fmt.Sprintf("%q", r.Text)
		}
	}
	return rules.List(rules.Quoted(st.Resources), 3)
}
