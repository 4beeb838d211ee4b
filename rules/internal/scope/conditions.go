package scope

import (
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
)

// narrowingKeys are condition keys whose value is a property of the
// resource acted on (or of the service it is used through), so that a
// positive test on them narrows the resources a statement applies to.
// Keys are lower-cased.
var narrowingKeys = map[string]bool{
	"aws:resourceaccount":       true,
	"aws:resourceorgid":         true,
	"aws:resourceorgpaths":      true,
	"kms:viaservice":            true,
	"kms:encryptioncontextkeys": true,
	"kms:resourcealiases":       true,
	"iam:passedtoservice":       true,
	"iam:associatedresourcearn": true,
	"iam:policyarn":             true,
	"iam:permissionsboundary":   true,
	"s3:prefix":                 true,
	"s3:dataaccesspointarn":     true,
	"s3:dataaccesspointaccount": true,
	"dynamodb:leadingkeys":      true,
	"secretsmanager:secretid":   true,
}

// narrowingPrefixes are key families with a tag or context name after them.
var narrowingPrefixes = []string{
	"kms:encryptioncontext:",
	"s3:existingobjecttag/",
	"secretsmanager:resource/",
}

// IsNarrowingKey reports whether a condition key describes the resource
// acted on: aws:ResourceTag/…, any service's …:ResourceTag/…,
// aws:ResourceAccount, kms:ViaService, kms:EncryptionContext…,
// iam:PassedToService, s3:prefix, dynamodb:LeadingKeys, ….
func IsNarrowingKey(key string) bool {
	k := strings.ToLower(key)
	if narrowingKeys[k] {
		return true
	}
	if _, name, ok := strings.Cut(k, ":"); ok && strings.HasPrefix(name, "resourcetag/") {
		return true
	}
	for _, p := range narrowingPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// positive are the operators whose test on a resource key restricts the
// resource to the values listed.
var positive = map[string]bool{
	"StringEquals":           true,
	"StringEqualsIgnoreCase": true,
	"StringLike":             true,
	"ArnEquals":              true,
	"ArnLike":                true,
}

func (s *Statement) classifyConditions() {
	st := s.St
	if st.ConditionAt != nil && len(st.Conditions) == 0 && !emptyObject(st.ConditionAt) {
		// An Fn::If or malformed Condition: unknown, so never "unconstrained".
		s.unreadable = true
		return
	}
	for _, c := range st.Conditions {
		switch kind(c) {
		case narrowing:
			s.Narrowing = append(s.Narrowing, c)
		case limiting:
			s.Limiting = append(s.Limiting, c)
		}
	}
}

type condKind int

const (
	ignored condKind = iota
	limiting
	narrowing
)

// kind classifies one condition. Tests that pass when the key is absent
// (…IfExists, Null) narrow nothing. A positive test of a resource key
// against values that are not all wildcards narrows the resources (an
// unresolved value counts: it narrows to something). Anything else limits
// when the statement applies.
func kind(c iampolicy.Condition) condKind {
	if c.IfExists || strings.EqualFold(c.Base, "Null") {
		return ignored
	}
	if !IsNarrowingKey(c.Key) || !positive[c.Base] || strings.EqualFold(c.Set, "ForAllValues") {
		return limiting
	}
	if len(c.Values) == 0 {
		return limiting
	}
	if strings.HasSuffix(c.Base, "Like") {
		for _, v := range c.Values {
			if !v.Known || strings.Trim(v.Text, "*?") != "" {
				return narrowing
			}
		}
		return limiting // matches any value: only requires the key
	}
	return narrowing
}

func emptyObject(n *cfn.Node) bool {
	return n.Kind == cfn.Object && len(n.Keys) == 0
}
