// Package iam059 defines IAM059 (action-resource-mismatch).
package iam059

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/iam061"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `action cannot act on any resource of its statement

Each IAM action acts on resources of particular types: s3:GetObject on
objects (arn:aws:s3:::bucket/key), s3:ListBucket on buckets
(arn:aws:s3:::bucket), kms:Decrypt on keys and not on aliases. A statement
that scopes an action only to resources of other types grants nothing for
that action: the workload fails at run time, and the usual "fix" is to widen
the statement to "*". In a Deny, the guardrail silently does not apply.
The classic case is s3:GetObject on a bucket's ARN instead of its objects'
(bucket.bucketArn instead of bucket.arnForObjects('*')).

iamvet compares each action's resource types, with their ARN formats from
the AWS Service Authorization Reference, against the statement's resources,
part by part, with wildcards. An action is reported only when it can act on
none of the statement's resources, so CDK grant statements that list a
bucket and its objects for bucket and object actions together are fine.
Statements with a resource iamvet cannot read (a parameter, most
Fn::GetAtt values; a bucket's Arn attribute is understood) are skipped, as
are actions that do not support resource-level permissions (they need "*")
and NotAction or NotResource statements.`

// Rule is IAM059.
var Rule = rules.Register(&rules.Rule{
	Slug:     "action-resource-mismatch",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Aliases:  []string{"I3510"},
	CWE:      []string{"CWE-1286"},
	Fix:      "Scope each action to the resource type it acts on: object actions to bucket.arnForObjects('*'), bucket actions to bucket.bucketArn; or use the CDK grant* methods, which pair them correctly.",
	Bad:      "fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.bucketArn] }));",
	Good:     "fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM059",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	cache := map[string]*resource{} // a stack's statements repeat resources
	hits := map[match]bool{}        // and so pairs of format and resource
	for _, st := range m.Statements(iampolicy.Identity) {
		if (!st.Allow() && !st.Deny()) || st.NotAction || st.NotResource || len(st.Resources) == 0 {
			continue
		}
		if st.Doc.ResourceType == "AWS::IoT::Policy" {
			continue // IoT policies are evaluated by IoT, not IAM
		}
		res, ok := resources(m, st, cache)
		if !ok {
			continue
		}
		var dead []string
		var types []string
		for _, a := range st.Actions {
			if !a.Known {
				continue
			}
			if t, isDead := deadAction(a.Text, res, hits); isDead {
				dead = append(dead, a.Text)
				for _, x := range t {
					if !slices.Contains(types, x) {
						types = append(types, x)
					}
				}
			}
		}
		if len(dead) == 0 {
			continue
		}
		at := st.ResourceAt
		target := "any of its resources"
		if len(st.Resources) == 1 {
			at = st.Resources[0].At
			target = fmt.Sprintf("%q", st.Resources[0].Text)
		}
		effect := "the statement grants nothing for " + plural(len(dead), "it", "them")
		if st.Deny() {
			effect = "the Deny does not apply to " + plural(len(dead), "it", "them")
		}
		sort.Strings(types)
		if len(types) > 4 {
			types = append(types[:4], fmt.Sprintf("%d other resource types", len(types)-4))
		}
		rules.Report(pass, rules.Diag{
			At: at, Statement: st, Evidence: strings.Join(dead, ","),
			Message: fmt.Sprintf("%s scopes %s to %s, which %s cannot act on: %s on %s, so %s",
				m.Where(st), rules.List(dead, 0), target, plural(len(dead), "it", "they"),
				plural(len(dead), "it acts", "they act"), strings.Join(types, " or "), effect),
		})
	}
	return nil, nil
}

// resource is a statement resource split into six compiled ARN parts.
type resource [6]pattern

// resources reads every resource of a statement as an ARN pattern; ok is
// false when one cannot be read (then nothing is known about the
// statement). Placeholders (${Ref}, ${?}, policy variables) match any
// text, except that the name of an in-template bucket (its Ref) matches no
// "/"; the Arn attribute of an in-template bucket is read as
// arn:${AWS::Partition}:s3:::${Bucket}.
func resources(m *stackmodel.Model, st *iampolicy.Statement, cache map[string]*resource) ([]*resource, bool) {
	isBucket := func(id string) bool {
		r := m.Resource(id)
		return r != nil && r.Type == "AWS::S3::Bucket"
	}
	out := make([]*resource, 0, len(st.Resources))
	for _, v := range st.Resources {
		r := compileResource(v.Text, isBucket, cache)
		if r == nil {
			return nil, false
		}
		out = append(out, r)
	}
	return out, true
}

// bucketArn reads text that starts with "${Id.Arn}", an in-template
// resource's Arn attribute, returning Id and the text after it.
func bucketArn(t string) (id, rest string, ok bool) {
	if !strings.HasPrefix(t, "${") {
		return "", "", false
	}
	i := 2
	for i < len(t) && ('a' <= t[i] && t[i] <= 'z' || 'A' <= t[i] && t[i] <= 'Z' || '0' <= t[i] && t[i] <= '9') {
		i++
	}
	if i == 2 || !strings.HasPrefix(t[i:], ".Arn}") {
		return "", "", false
	}
	return t[2:i], t[i+len(".Arn}"):], true
}

// maxCached bounds the package's cache of action formats, so that a
// hostile template of endless distinct action values cannot grow memory
// without limit: at most maxCached values of at most maxCachedKey bytes,
// holding at most maxCachedFormats formats in all. Past them, values are
// looked up each time.
const (
	maxCached        = 1 << 14
	maxCachedKey     = 256
	maxCachedFormats = 1 << 20
)

// compileResource compiles a statement resource, or returns nil when it
// is not an ARN of some service. cache holds the stack's compiled
// resources by text: isBucket is the stack's, and resource texts name the
// stack's own resources, so other stacks seldom share them.
func compileResource(text string, isBucket func(string) bool, cache map[string]*resource) *resource {
	if c, ok := cache[text]; ok {
		return c
	}
	t := text
	if id, rest, ok := bucketArn(t); ok && isBucket(id) {
		t = "arn:${AWS::Partition}:s3:::${" + id + "}" + rest
	}
	var out *resource
	if a, ok := iam061.SplitARN(t); ok && strings.Trim(a.Service, "*?") != "" && !strings.Contains(a.Service, "${") {
		out = &resource{
			compile("arn", nil, false), compile(a.Partition, nil, false), compile(a.Service, nil, false),
			compile(a.Region, nil, false), compile(a.Account, nil, false), compile(a.Resource, isBucket, false),
		}
	}
	cache[text] = out
	return out
}

// noSlashNames are the ARN format placeholders whose values cannot
// contain "/": S3 bucket names and DynamoDB table names.
var noSlashNames = map[string]bool{"BucketName": true, "TableName": true}

// extraFormats are ARN forms the reference does not list for a resource
// type but AWS accepts for it, keyed by "service/type": S3 multi-Region
// access points stand in for access points in object and bucket
// operations. Their account part is required, unlike the reference's
// formats (see compile).
var extraFormats = map[string][]string{
	"s3/accesspointobject": {"arn:${Partition}:s3::${Account}:accesspoint/${AccessPointAlias}/object/${ObjectName}"},
	"s3/accesspoint":       {"arn:${Partition}:s3::${Account}:accesspoint/${AccessPointAlias}"},
}

// format is a resource type's ARN format, compiled.
type format struct {
	name string // "object (arn:${Partition}:s3:::${BucketName}/${ObjectName})"
	arn  resource
}

// formatCache holds compiled formats by type name and format; rules run
// on several stacks at once.
var formatCache sync.Map

type formatKey struct {
	typeName, format string
	accountRequired  bool
}

func compileFormat(typeName, f string, accountRequired bool) *format {
	key := formatKey{typeName, f, accountRequired}
	if c, ok := formatCache.Load(key); ok {
		return c.(*format)
	}
	var out *format
	if a, ok := iam061.SplitARN(f); ok && !strings.Contains(a.Service, "${") {
		ns := func(name string) bool { return noSlashNames[name] }
		out = &format{name: typeName + " (" + f + ")", arn: resource{
			compile("arn", nil, true), compile(a.Partition, nil, true), compile(a.Service, nil, true),
			compile(a.Region, nil, true), compile(a.Account, nil, accountRequired), compile(a.Resource, ns, true),
		}}
	}
	formatCache.Store(key, out)
	return out
}

// actionFormats are the compiled ARN formats of an action value's
// resource types: for each action it names, each type's format, then the
// formats AWS also accepts for it (extraFormats). ok is false when the
// value can never be reported: unknown, an action that does not support
// resource-level permissions, or a format that cannot be read.
type actionFormats struct {
	formats []*format
	primary []bool // formats[i] is the reference's own format of its type
	ok      bool
}

var (
	actionCache       sync.Map // action value -> *actionFormats
	actionCount       atomic.Int64
	actionFormatCount atomic.Int64
)

func formatsOf(action string) *actionFormats {
	if c, ok := actionCache.Load(action); ok {
		return c.(*actionFormats)
	}
	out := &actionFormats{}
	out.ok = out.collect(action)
	if !out.ok {
		out.formats, out.primary = nil, nil
	}
	if len(action) <= maxCachedKey && actionCount.Add(1) <= maxCached && actionFormatCount.Add(int64(len(out.formats))) <= maxCachedFormats {
		actionCache.Store(action, out)
	}
	return out
}

func (af *actionFormats) collect(action string) bool {
	var acts []*iamdata.Action
	if strings.ContainsAny(action, "*?") {
		acts = iamdata.Expand(action)
	} else if a := iamdata.LookupAction(action); a != nil {
		acts = []*iamdata.Action{a}
	}
	if len(acts) == 0 {
		return false
	}
	for _, a := range acts {
		if !a.SupportsResourceLevel() {
			return false // it needs "*" (IAM015's and the catalogue's business)
		}
		svc := iamdata.LookupService(a.Service)
		for _, rt := range a.ResourceTypes {
			f := svc.ResourceARNs[rt.Name]
			if f == "" {
				return false
			}
			for i, f := range append([]string{f}, extraFormats[a.Service+"/"+rt.Name]...) {
				cf := compileFormat(rt.Name, f, i > 0)
				if cf == nil {
					return false
				}
				af.formats = append(af.formats, cf)
				af.primary = append(af.primary, i == 0)
			}
		}
	}
	return true
}

// deadAction reports whether the action value (a name or a pattern) can
// act on none of the resources: every action it names has resource types
// with readable ARN formats, and none of those formats matches any of
// the resources. types lists the formats of the action's resource types.
// Unknown actions, actions that do not support resource-level permissions
// (they need "*") and formats that cannot be read count as matching.
func deadAction(action string, res []*resource, hits map[match]bool) (types []string, dead bool) {
	af := formatsOf(action)
	if !af.ok {
		return nil, false
	}
	for k, cf := range af.formats {
		for _, r := range res {
			hit, known := hits[match{cf, r}]
			if !known {
				hit = matches(&cf.arn, r)
				hits[match{cf, r}] = hit
			}
			if hit {
				return nil, false
			}
		}
		if af.primary[k] && !slices.Contains(types, cf.name) {
			types = append(types, cf.name)
		}
	}
	return types, true
}

// match is a pair of a format and a resource of one stack, whose
// matching run memoizes.
type match struct {
	f *format
	r *resource
}

func matches(f, r *resource) bool {
	for i := range f {
		if !intersect(f[i], r[i]) {
			return false
		}
	}
	return true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
