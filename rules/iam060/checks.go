package iam060

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
)

// ForAllValuesMisuses finds ForAllValues: set operators on single-valued
// keys in Allow statements. ForAllValues is true when every value of the
// key in the request matches, which is vacuously true when the request
// has no such key: ForAllValues:StringEquals on aws:PrincipalOrgID lets
// in every caller outside any organization, and every request that does
// not carry the key. It is high when the statement has a public principal
// and no other condition, medium otherwise. Null tests and keys whose
// type iamvet does not know are left alone.
func ForAllValuesMisuses(st *iampolicy.Statement) []Misuse {
	if !st.Allow() {
		return nil
	}
	var flagged []iampolicy.Condition
	for _, c := range st.Conditions {
		if !strings.EqualFold(c.Set, "ForAllValues") || strings.EqualFold(c.Base, "Null") {
			continue
		}
		if info, ok := lookupKey(c.Key); ok && !info.multi {
			flagged = append(flagged, c)
		}
	}
	if len(flagged) == 0 {
		return nil
	}
	public := false
	for _, p := range st.Principals {
		public = public || (!st.NotPrincipal && p.IsPublic())
	}
	sev, who := rules.Medium, ""
	if public && len(flagged) == len(st.Conditions) {
		sev, who = rules.High, "; with a public principal and no other condition, anyone whose request lacks the key is allowed"
	}
	var out []Misuse
	for _, c := range flagged {
		out = append(out, Misuse{
			Check: "forallvalues-single-valued", Cond: c, At: c.At, Severity: sev,
			Evidence: c.Operator + ":" + c.Key,
			Message: fmt.Sprintf("tests the single-valued key %s with %s, which is also true when the request has no %s at all%s; use %s",
				c.Key, c.Operator, c.Key, who, c.Base),
		})
	}
	return out
}

// negatedOps are the negated condition operators (bases).
var negatedOps = []string{
	"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike",
	"ArnNotEquals", "ArnNotLike", "NotIpAddress", "NumericNotEquals", "DateNotEquals",
}

// ForAnyValueNegatedMisuses finds ForAnyValue: with a negated operator
// in Allow statements, on keys that are multivalued or of unknown type:
// ForAnyValue:StringNotEquals on aws:TagKeys [A, B] is true as soon as one
// value of the request is neither A nor B, so a request with tags A and C
// is allowed although it carries A. The author nearly always means "no
// value is A or B", ForAllValues:StringNotEquals. In a Deny the form is
// the usual "deny if any value is not allowed" and is left alone.
func ForAnyValueNegatedMisuses(st *iampolicy.Statement) []Misuse {
	if !st.Allow() {
		return nil
	}
	var out []Misuse
	for _, c := range st.Conditions {
		if !strings.EqualFold(c.Set, "ForAnyValue") || !inFold(c.Base, negatedOps) {
			continue
		}
		if info, ok := lookupKey(c.Key); ok && !info.multi {
			continue // on a single-valued key it is the plain negated test
		}
		out = append(out, Misuse{
			Check: "foranyvalue-negated", Cond: c, At: c.At, Severity: rules.Medium,
			Evidence: c.Operator + ":" + c.Key,
			Message: fmt.Sprintf("allows when any one value of %s is not listed (%s): a request that also carries a listed value still matches; to allow only requests where no value is listed use ForAllValues:%s",
				c.Key, c.Operator, c.Base),
		})
	}
	return out
}

// family is the kind of a condition operator.
type family uint8

const (
	noFamily family = iota
	stringOps
	numericOps
	dateOps
	boolOps
	binaryOps
	ipOps
	arnOps
	nullOps
)

func (f family) String() string {
	switch f {
	case stringOps:
		return "String"
	case numericOps:
		return "Numeric"
	case dateOps:
		return "Date"
	case boolOps:
		return "Bool"
	case binaryOps:
		return "Binary"
	case ipOps:
		return "IpAddress"
	case arnOps:
		return "Arn"
	case nullOps:
		return "Null"
	}
	return ""
}

var operatorFamilies = map[string]family{
	"stringequals": stringOps, "stringnotequals": stringOps, "stringequalsignorecase": stringOps,
	"stringnotequalsignorecase": stringOps, "stringlike": stringOps, "stringnotlike": stringOps,
	"numericequals": numericOps, "numericnotequals": numericOps, "numericlessthan": numericOps,
	"numericlessthanequals": numericOps, "numericgreaterthan": numericOps, "numericgreaterthanequals": numericOps,
	"dateequals": dateOps, "datenotequals": dateOps, "datelessthan": dateOps,
	"datelessthanequals": dateOps, "dategreaterthan": dateOps, "dategreaterthanequals": dateOps,
	"bool": boolOps, "binaryequals": binaryOps, "ipaddress": ipOps, "notipaddress": ipOps,
	"arnequals": arnOps, "arnlike": arnOps, "arnnotequals": arnOps, "arnnotlike": arnOps,
	"null": nullOps,
}

// operatorFor names the operator family that fits a key type.
func operatorFor(t keyType) string {
	switch t {
	case stringType:
		return "a String operator (StringEquals, StringLike, …)"
	case arnType:
		return "ArnEquals or ArnLike"
	case boolType:
		return "Bool"
	case numericType:
		return "a Numeric operator"
	case dateType:
		return "a Date operator"
	case dateOrNumericType:
		return "a Date or Numeric operator"
	case ipType:
		return "IpAddress or NotIpAddress"
	}
	return ""
}

// TypeMisuses finds condition operators that do not fit their key or
// values:
//
//   - an operator IAM does not know (StringEqual, ForAnyValues:…): low,
//     IAM rejects the policy or the test never matches;
//   - a Numeric, Date, Bool, IpAddress or Arn operator on a key of another
//     type (NumericLessThan on aws:SourceAccount, Bool on aws:SourceVpc):
//     medium, the comparison never matches as written;
//   - a String operator on a Bool, Numeric, Date or IP address key
//     (StringEquals aws:SecureTransport "false"): low, it compares text
//     and only works for the exact spelling AWS uses;
//   - a value the operator cannot read: Bool or Null with a value other
//     than true or false, Numeric with a non-number, Date with a value
//     that is neither an ISO 8601 date nor epoch seconds, IpAddress with
//     something that is not an IP address or CIDR block: medium, that
//     value never matches.
//
// String operators on ARN keys are fine (AWS documents both). Key types
// come from a table of global and common keys (knownKeys); other keys
// only get the value checks.
func TypeMisuses(st *iampolicy.Statement) []Misuse {
	var out []Misuse
	reported := map[*cfn.Node]bool{} // one finding per unknown operator
	for _, c := range st.Conditions {
		fam, ok := operatorFamilies[strings.ToLower(c.Base)]
		if !ok || (c.Set != "" && !strings.EqualFold(c.Set, "ForAllValues") && !strings.EqualFold(c.Set, "ForAnyValue")) {
			if reported[c.OpAt] {
				continue
			}
			reported[c.OpAt] = true
			out = append(out, Misuse{
				Check: "unknown-operator", Cond: c, At: c.OpAt, Severity: rules.Low,
				Evidence: c.Operator,
				Message:  fmt.Sprintf("uses condition operator %q, which IAM does not know: the policy is rejected or the test never matches", c.Operator),
			})
			continue
		}
		if mu, ok := keyTypeMisuse(c, fam); ok {
			out = append(out, mu)
			continue
		}
		out = append(out, valueMisuses(c, fam)...)
	}
	return out
}

func keyTypeMisuse(c iampolicy.Condition, fam family) (Misuse, bool) {
	info, known := lookupKey(c.Key)
	if !known || fam == nullOps || fam == binaryOps {
		return Misuse{}, false
	}
	t := info.typ
	fits := false
	sev := rules.Medium
	switch fam {
	case stringOps:
		fits = t == stringType || t == arnType
		sev = rules.Low
	case numericOps:
		fits = t == numericType || t == dateOrNumericType
	case dateOps:
		fits = t == dateType || t == dateOrNumericType
	case boolOps:
		fits = t == boolType
	case ipOps:
		fits = t == ipType
	case arnOps:
		fits = t == arnType
	}
	if fits {
		return Misuse{}, false
	}
	msg := fmt.Sprintf("compares the %s key %s with %s, which does not fit its type, so the test never matches as written; use %s",
		t, c.Key, c.Operator, operatorFor(t))
	if fam == stringOps {
		msg = fmt.Sprintf("compares the %s key %s as text (%s): only the exact spelling AWS uses matches; use %s",
			t, c.Key, c.Operator, operatorFor(t))
	}
	return Misuse{
		Check: "operator-type", Cond: c, At: c.At, Severity: sev,
		Evidence: c.Operator + ":" + c.Key, Message: msg,
	}, true
}

var (
	dateRe = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?|\d{8}T\d{6}Z|\d+)$`)
)

func valueMisuses(c iampolicy.Condition, fam family) []Misuse {
	var out []Misuse
	for _, v := range c.Values {
		if !v.Known || strings.Contains(v.Text, "${") {
			continue
		}
		t := strings.TrimSpace(v.Text)
		what := ""
		switch fam {
		case boolOps, nullOps:
			if !strings.EqualFold(t, "true") && !strings.EqualFold(t, "false") {
				what = `is not "true" or "false"`
			}
		case numericOps:
			if _, err := strconv.ParseFloat(t, 64); err != nil {
				what = "is not a number"
			}
		case dateOps:
			if !dateRe.MatchString(t) {
				what = "is not an ISO 8601 date or epoch seconds"
			}
		case ipOps:
			if _, _, err := net.ParseCIDR(t); err != nil && net.ParseIP(t) == nil {
				what = "is not an IP address or CIDR block"
			}
		}
		if what == "" {
			continue
		}
		out = append(out, Misuse{
			Check: "operator-value", Cond: c, At: v.At, Severity: rules.Medium,
			Evidence: c.Operator + ":" + c.Key + "=" + v.Text,
			Message:  fmt.Sprintf("tests %s with %s against %q, which %s: that value never matches", c.Key, c.Operator, v.Text, what),
		})
	}
	return out
}

// UnknownKeyMisuses finds condition keys that no action of the statement
// supports: an aws: key that is not a global condition key, or a key of a
// service that the service does not define (a typo such as
// s3:x-amz-acls), or, for a service of the statement's own actions, that
// neither those actions nor the service define. Keys of other services
// that exist are left alone (some are available across services), as are
// keys whose prefix is not a service (OIDC and SAML keys such as
// token.actions.githubusercontent.com:sub), statements with NotAction,
// "*" or an action iamvet cannot resolve. Low severity: the condition is
// never satisfied (an Allow grants nothing, a Deny never applies).
func UnknownKeyMisuses(st *iampolicy.Statement) []Misuse {
	if st.NotAction || len(st.Conditions) == 0 || len(st.Actions) == 0 {
		return nil
	}
	var acts []*iamdata.Action
	services := map[string]*iamdata.Service{}
	for _, a := range st.Actions {
		if !a.Known || strings.Trim(a.Text, "*:") == "" {
			return nil
		}
		var found []*iamdata.Action
		if strings.ContainsAny(a.Text, "*?") {
			found = iamdata.ExpandShared(a.Text)
		} else if x := iamdata.LookupAction(a.Text); x != nil {
			found = []*iamdata.Action{x}
		}
		if len(found) == 0 {
			return nil // IAM058's business
		}
		for _, x := range found {
			services[x.Service] = iamdata.LookupService(x.Service)
		}
		acts = append(acts, found...)
	}
	var out []Misuse
	for _, c := range st.Conditions {
		prefix, _, ok := strings.Cut(c.Key, ":")
		if !ok || knownKey(c.Key, acts) {
			continue
		}
		msg := ""
		if strings.EqualFold(prefix, "aws") {
			msg = fmt.Sprintf("tests %s, which is not a global condition key", c.Key)
			msg += suggestion(c.Key, iamdata.GlobalConditionKeys())
		} else {
			svc := iamdata.LookupService(prefix)
			if svc == nil {
				continue // an identity provider's keys, SAML keys, …
			}
			inService := matchesAny(c.Key, svc.ConditionKeys)
			_, own := services[svc.Prefix]
			switch {
			case !inService:
				msg = fmt.Sprintf("tests %s, which is not a condition key of %s", c.Key, svc.Prefix) + suggestion(c.Key, svc.ConditionKeys)
			case own:
				msg = fmt.Sprintf("tests %s, which none of the statement's actions (%s) supports", c.Key, rules.List(rules.Texts(st.Actions), 3))
			default:
				continue // another service's key: may be a cross-service key
			}
		}
		out = append(out, Misuse{
			Check: "unknown-key", Cond: c, At: c.At, Severity: rules.Low,
			Evidence: c.Key,
			Message:  msg + ": the request never carries it, so the condition is never satisfied as intended",
		})
	}
	return out
}

// knownKey reports whether key is a global key, a cross-service key, a key
// of the given actions or of their services.
func knownKey(key string, acts []*iamdata.Action) bool {
	if iamdata.IsGlobalConditionKey(key) || matchesAny(key, crossServiceKeys) {
		return true
	}
	if _, ok := lookupKey(key); ok && strings.HasPrefix(strings.ToLower(key), "aws:") {
		return true
	}
	seen := map[string]bool{}
	for _, a := range acts {
		if matchesAny(key, a.ConditionKeys) {
			return true
		}
		if !seen[a.Service] {
			seen[a.Service] = true
			if prefix, _, _ := strings.Cut(key, ":"); strings.EqualFold(prefix, a.Service) &&
				matchesAny(key, iamdata.LookupService(a.Service).ConditionKeys) {
				return true
			}
		}
	}
	return false
}

// matchesAny reports whether key is an instance of one of the templates.
// A template with a "/" also matches any key sharing its text up to the
// last "/": a few keys spell their placeholder as plain text
// (secretsmanager:ResourceTag/tag-key, ssm:resourceTag/tag-key), and
// erring towards a match only costs a missed finding.
func matchesAny(key string, templates []string) bool {
	for _, t := range templates {
		if iamdata.ConditionKeyMatches(t, key) {
			return true
		}
		if i := strings.LastIndexByte(t, '/'); i > 0 && len(key) > i+1 && strings.EqualFold(t[:i+1], key[:i+1]) {
			return true
		}
	}
	return false
}

func inFold(s string, list []string) bool {
	for _, x := range list {
		if strings.EqualFold(s, x) {
			return true
		}
	}
	return false
}

// suggestion returns " (did you mean K?)" for the candidate closest to key,
// if it is within a few edits; templates with placeholders are skipped.
func suggestion(key string, candidates []string) string {
	best, bestDist := "", max(1, min(3, len(key)/5))+1
	for _, c := range candidates {
		if strings.ContainsAny(c, "$<") {
			continue
		}
		if d := editDistance(strings.ToLower(key), strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// editDistance is the Levenshtein distance with adjacent transpositions.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
