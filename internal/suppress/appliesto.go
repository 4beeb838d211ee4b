package suppress

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
)

// matcher is one applies_to entry: an exact finding string, or a regular
// expression written the JavaScript way ({"regex": "/^Resource::.*$/g"}).
type matcher struct {
	text string         // the entry as written (exact string, or the regex source)
	re   *regexp.Regexp // nil for an exact entry; never matches when bad is set
	bad  bool           // a regex that could not be compiled: matches nothing
}

func (m matcher) match(s string) bool {
	switch {
	case m.bad:
		return false
	case m.re != nil:
		return m.re.MatchString(s)
	}
	return m.text == s
}

// compileJSRegex compiles a regex applies_to entry the way cdk-nag's
// NagSuppressionHelper.toRegEx does: the pattern is what lies between the
// first and the last "/", the flags what follows the last one. Flags i, m
// and s map to RE2 flags; g, u, d and v do not change the result of a
// single RegExp.test; y (sticky) anchors the match at the start. JavaScript
// syntax RE2 lacks (lookaround, backreferences) is an error.
func compileJSRegex(s string) (*regexp.Regexp, error) {
	i := strings.IndexByte(s, '/')
	j := strings.LastIndexByte(s, '/')
	if i < 0 || j <= i {
		return nil, fmt.Errorf("invalid regular expression [%s]: not /pattern/flags", s)
	}
	pat, flags := s[i+1:j], s[j+1:]
	var re2 string
	sticky := false
	seen := map[rune]bool{}
	for _, c := range flags {
		if seen[c] {
			return nil, fmt.Errorf("invalid regular expression [%s]: repeated flag %q", s, c)
		}
		seen[c] = true
		switch c {
		case 'i', 'm', 's':
			re2 += string(c)
		case 'g', 'u', 'd', 'v':
		case 'y':
			sticky = true
		default:
			return nil, fmt.Errorf("invalid regular expression [%s]: unknown flag %q", s, c)
		}
	}
	if sticky {
		pat = `\A(?:` + pat + `)`
	}
	if re2 != "" {
		pat = "(?" + re2 + ")" + pat
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression [%s]: %v", s, err)
	}
	return re, nil
}

// findingStrings returns the cdk-nag-style "applies_to" strings of a
// finding: the granular finding ids cdk-nag's rules compute for the part of
// the template the finding is on.
//
//   - A finding on a ManagedPolicyArns element: Policy::<ARN>, the ARN
//     flattened as cdk-nag does (arn:<AWS::Partition>:iam::aws:policy/…),
//     as AwsSolutions-IAM4 reports it.
//   - A finding inside a policy statement: what AwsSolutions-IAM5 reports
//     for that statement when it allows: Action::<action> for each action
//     containing "*" (as written) and Resource::<resource> for each resource
//     containing "*" once flattened (<Logical.Arn>/*). iamvet adds
//     NotAction::<value> and NotResource::<value>, which cdk-nag never
//     reports: a cdk-nag suppression therefore cannot hide a finding on a
//     NotAction or NotResource statement, only a blanket one can.
//   - Anything else: no strings (only a suppression without applies_to
//     hides it).
//
// All strings are of the statement, not only of the value the finding is
// on: a granular suppression hides a finding only when cdk-nag would report
// nothing about that statement any more.
func findingStrings(root *cfn.Node, f *rules.Finding) []string {
	return pointerStrings(root, f.JSONPointer)
}

// pointerStrings is findingStrings for a finding at a JSON pointer.
func pointerStrings(root *cfn.Node, pointer string) []string {
	if !strings.HasPrefix(pointer, "/") {
		return nil
	}
	segs := strings.Split(pointer[1:], "/")
	ptr := func(n int) string { return "/" + strings.Join(segs[:n], "/") }
	for i, s := range segs {
		if s == "ManagedPolicyArns" {
			list := cfn.Resolve(root, ptr(i+1))
			if i+1 < len(segs) {
				if el := cfn.Resolve(root, ptr(i+2)); el != nil && list != nil && list.Kind == cfn.Array {
					return []string{"Policy::" + flatten(el)}
				}
			}
			var out []string
			for _, el := range list.Elems() {
				if p := flatten(el); strings.Contains(p, ":iam::aws:") {
					out = appendUnique(out, "Policy::"+p)
				}
			}
			return out
		}
	}
	for i := len(segs) - 1; i >= 0; i-- {
		if segs[i] != "Statement" {
			continue
		}
		list := cfn.Resolve(root, ptr(i+1))
		if list == nil {
			continue
		}
		if list.Kind == cfn.Array && i+1 < len(segs) {
			if k, err := strconv.Atoi(segs[i+1]); err == nil && k >= 0 && k < len(list.Vals) {
				return statementStrings(list.Vals[k], nil)
			}
		}
		var out []string
		for _, st := range list.Elems() {
			out = statementStrings(st, out)
		}
		return out
	}
	return nil
}

// statementStrings appends what AwsSolutions-IAM5 reports for one statement
// (plus iamvet's NotAction/NotResource strings).
func statementStrings(st *cfn.Node, out []string) []string {
	if st == nil || st.Kind != cfn.Object {
		return out
	}
	if eff, _ := st.Get("Effect").Literal(); eff != "Allow" {
		return out
	}
	for _, a := range st.Get("Action").Elems() {
		if a.Kind == cfn.String && strings.Contains(a.Str, "*") {
			out = appendUnique(out, "Action::"+a.Str)
		}
	}
	for _, r := range st.Get("Resource").Elems() {
		if p := flatten(r); strings.Contains(p, "*") {
			out = appendUnique(out, "Resource::"+p)
		}
	}
	for _, a := range st.Get("NotAction").Elems() {
		out = appendUnique(out, "NotAction::"+flatten(a))
	}
	for _, r := range st.Get("NotResource").Elems() {
		out = appendUnique(out, "NotResource::"+flatten(r))
	}
	return out
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// flatten renders a template value the way cdk-nag's flattenCfnReference
// does, so that iamvet computes the same finding strings users wrote their
// applies_to against: strings as they are with ${…} written <…>
// (arn:${AWS::Partition}:… → arn:<AWS::Partition>:…), Fn::Join joined,
// Fn::GetAtt as <Logical.Attribute>, Ref as <Logical>, Fn::Sub and
// Fn::ImportValue as their argument, anything else as compact JSON.
func flatten(n *cfn.Node) string {
	return flattenDepth(n, 0)
}

func flattenDepth(n *cfn.Node, depth int) string {
	if n == nil {
		return ""
	}
	if depth > 64 {
		return compactJSON(n)
	}
	if n.Kind == cfn.String {
		return strings.ReplaceAll(strings.ReplaceAll(n.Str, "${", "<"), "}", ">")
	}
	if n.Kind != cfn.Object {
		return compactJSON(n)
	}
	if j := n.Get("Fn::Join"); truthy(j) {
		if j.Kind == cfn.Array && len(j.Vals) == 2 && j.Vals[1].Kind == cfn.Array {
			sep := j.Vals[0].Str // the delimiter is used as written
			if j.Vals[0].Kind != cfn.String {
				sep = compactJSON(j.Vals[0])
			}
			parts := make([]string, len(j.Vals[1].Vals))
			for i, e := range j.Vals[1].Vals {
				parts[i] = flattenDepth(e, depth+1)
			}
			return strings.Join(parts, sep)
		}
		return compactJSON(n)
	}
	if s := n.Get("Fn::Sub"); truthy(s) {
		return flattenDepth(s, depth+1)
	}
	if g := n.Get("Fn::GetAtt"); truthy(g) {
		switch {
		case g.Kind == cfn.Array:
			var r, a string
			if len(g.Vals) > 0 {
				r = flattenDepth(g.Vals[0], depth+1)
			}
			if len(g.Vals) > 1 {
				a = flattenDepth(g.Vals[1], depth+1)
			}
			return "<" + r + "." + a + ">"
		case g.Kind == cfn.String:
			r, a, _ := strings.Cut(g.Str, ".")
			return "<" + r + "." + a + ">"
		}
		return compactJSON(n)
	}
	if v := n.Get("Fn::ImportValue"); truthy(v) {
		return flattenDepth(v, depth+1)
	}
	if r := n.Get("Ref"); truthy(r) {
		return "<" + flattenDepth(r, depth+1) + ">"
	}
	return compactJSON(n)
}

// truthy is JavaScript truthiness of a member (cdk-nag tests !!node[field]).
func truthy(n *cfn.Node) bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case cfn.Null:
		return false
	case cfn.String:
		return n.Str != ""
	case cfn.Bool:
		return n.Str == "true"
	case cfn.Number:
		f, err := strconv.ParseFloat(n.Str, 64)
		return err != nil || f != 0
	}
	return true
}

// compactJSON is JSON.stringify of a node: members in source order, no
// spaces, no HTML escaping.
func compactJSON(n *cfn.Node) string {
	var b bytes.Buffer
	writeJSON(&b, n, 0)
	return b.String()
}

func writeJSON(b *bytes.Buffer, n *cfn.Node, depth int) {
	if n == nil || depth > 64 {
		b.WriteString("null")
		return
	}
	switch n.Kind {
	case cfn.Null:
		b.WriteString("null")
	case cfn.Bool, cfn.Number:
		b.WriteString(n.Str)
	case cfn.String:
		writeJSONString(b, n.Str)
	case cfn.Array:
		b.WriteByte('[')
		for i, v := range n.Vals {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, v, depth+1)
		}
		b.WriteByte(']')
	case cfn.Object:
		b.WriteByte('{')
		for i, k := range n.Keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			writeJSON(b, n.Vals[i], depth+1)
		}
		b.WriteByte('}')
	}
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode appends a newline
}
