// Package public holds what the resource-policy rules (IAM051–IAM053, and
// in time IAM048–IAM050) share: which principals of a statement are public,
// whether a condition pins the caller of a public statement, whether a Deny
// statement of the same policy fences it in, and how to name the resource
// holding a policy in messages.
//
// # Public principals
//
// An Allow statement is public when its principal is "*", {"AWS": "*"} (or
// {"CanonicalUser": "*"}), or when it uses NotPrincipal: Allow with
// NotPrincipal applies to everyone but the principals listed.
//
// # Pinning
//
// A public statement is pinned, and not reported, when one of its
// conditions narrows the caller to named accounts, organizations, sources or
// networks: a positive test (StringEquals, StringLike, ArnEquals, ArnLike,
// without IfExists, without ForAllValues:, with no wildcard-only value, see
// trust.Pins) on one of Keys (the organization, account, principal and
// source keys of trust.PinKeys plus aws:SourceVpce and aws:SourceVpc) or on
// a service key the rule adds (kms:CallerAccount); IpAddress on aws:SourceIp
// with a range narrower than the whole internet; or a Bool test of a key the
// rule names as pinning when true (elasticfilesystem:AccessedViaMountTarget).
// aws:PrincipalArn values whose account part is a wildcard
// (arn:aws:iam::*:role/deploy) pin nothing: anyone can create a role of that
// name in their own account. aws:SecureTransport, aws:RequestedRegion and
// the like only limit how a request is made and pin nothing.
//
// # Deny fences
//
// A public Allow is also pinned when a Deny statement of the same policy,
// with a public principal, covering the Allow's actions and resources,
// denies every request that does not match a pinning key: the private API
// Gateway pattern (Deny "*" execute-api:Invoke unless aws:SourceVpce
// equals vpce-…) and its S3 equivalent. Every condition of the Deny must be
// such a negated test (StringNotEquals, StringNotLike, ArnNotEquals,
// ArnNotLike, NotIpAddress, or Bool "false" on a key pinning when true);
// a Deny with another condition as well denies less and fences nothing.
//
// Values the template leaves unresolved (a parameter for an organization
// id) count as pinning: rules never call an unknown value unsafe.
package public

import (
	"fmt"
	"strings"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// NetworkKeys pin a public statement to a VPC or a VPC endpoint.
var NetworkKeys = []string{"aws:SourceVpce", "aws:SourceVpc"}

// Keys are the condition keys that pin the caller of any resource policy
// statement: trust.PinKeys, NetworkKeys and aws:SourceOwner (the legacy SNS
// and SES spelling of aws:SourceAccount).
var Keys = append(append([]string{"aws:SourceOwner"}, NetworkKeys...), trust.PinKeys...)

// Ref is one public principal of a statement.
type Ref struct {
	// At is the node to report on: the "*" value, or the NotPrincipal
	// element.
	At *cfn.Node
	// Text is how messages name the principal: `"*"`, `"AWS": "*"` or
	// NotPrincipal.
	Text string
}

// Principals returns the public principals of a statement regardless of
// its effect and conditions: "*" or {"AWS": "*"} values, or the
// NotPrincipal element.
func Principals(st *iampolicy.Statement) []Ref {
	if st.NotPrincipal {
		if st.PrincipalAt == nil {
			return nil
		}
		return []Ref{{st.PrincipalAt, "NotPrincipal"}}
	}
	var out []Ref
	for _, p := range st.Principals {
		if !p.IsPublic() {
			continue
		}
		text := `"*"`
		if p.Type != "*" {
			text = fmt.Sprintf("%q: \"*\"", p.Type)
		}
		at := p.Value.At
		if at == nil {
			at = st.PrincipalAt
		}
		out = append(out, Ref{at, text})
	}
	return out
}

// IsPublic reports whether a statement has a public principal.
func IsPublic(st *iampolicy.Statement) bool { return len(Principals(st)) > 0 }

// Checker tells whether the conditions of a public statement pin its
// caller. The zero Checker uses Keys only.
type Checker struct {
	// Keys pin the caller on top of the package's Keys: service keys such
	// as kms:CallerAccount or s3:DataAccessPointAccount.
	Keys []string
	// TrueKeys pin the caller when a Bool test requires them to be true:
	// elasticfilesystem:AccessedViaMountTarget.
	TrueKeys []string
}

func (c Checker) keys() []string {
	return append(append([]string(nil), Keys...), c.Keys...)
}

// Exposed returns the public principals of an Allow statement that no
// condition pins and no Deny of the same policy fences in: what the
// resource-policy rules report. It returns nil for Deny statements.
func (c Checker) Exposed(st *iampolicy.Statement) []Ref {
	if !st.Allow() {
		return nil
	}
	refs := Principals(st)
	if len(refs) == 0 || c.Pinned(st) || c.Fenced(st) {
		return nil
	}
	return refs
}

// Pinned reports whether a condition of st pins its caller (see the
// package documentation).
func (c Checker) Pinned(st *iampolicy.Statement) bool {
	return len(c.Pinning(st)) > 0
}

// Pinning returns the conditions of st that pin its caller.
func (c Checker) Pinning(st *iampolicy.Statement) []iampolicy.Condition {
	keys := c.keys()
	var out []iampolicy.Condition
	for _, cond := range st.Conditions {
		if c.pins(cond, keys) {
			out = append(out, cond)
		}
	}
	return out
}

func (c Checker) pins(cond iampolicy.Condition, keys []string) bool {
	switch {
	case trust.Pins(cond, keys...):
		return !strings.EqualFold(cond.Key, "aws:PrincipalArn") || !allWildAccount(cond.Values)
	case strings.EqualFold(cond.Key, "aws:SourceIp") && strings.EqualFold(cond.Base, "IpAddress"):
		return !cond.IfExists && cond.Set == "" && narrowRanges(cond.Values)
	case strings.EqualFold(cond.Base, "Bool") && iampolicy.KeyIn(cond.Key, c.TrueKeys):
		return !cond.IfExists && cond.Set == "" && allEqual(cond.Values, "true")
	}
	return false
}

// Fenced reports whether a Deny statement of st's policy denies, to every
// public caller, the actions st allows on its resources unless a pinning
// key matches (see the package documentation).
func (c Checker) Fenced(st *iampolicy.Statement) bool {
	if st.Doc == nil {
		return false
	}
	keys := c.keys()
	for _, d := range st.Doc.Statements {
		if d == st || !d.Deny() || d.NotPrincipal || !IsPublic(d) || len(d.Conditions) == 0 {
			continue
		}
		if !coversActions(d, st) || !coversResources(d, st) {
			continue
		}
		all := true
		for _, cond := range d.Conditions {
			if !c.fences(cond, keys) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// negatedOps are the operators whose Deny denies every request not matching
// the values named.
var negatedOps = []string{"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike"}

// fences reports whether a Deny condition denies every request that does
// not match a pinning value. …IfExists only widens a negated Deny (an
// absent key denies too), so it is accepted; set operators are not.
func (c Checker) fences(cond iampolicy.Condition, keys []string) bool {
	if cond.Set != "" || len(cond.Values) == 0 {
		return false
	}
	switch {
	case iampolicy.KeyIn(cond.Key, keys) && opIn(cond.Base, negatedOps):
		if strings.EqualFold(cond.Key, "aws:PrincipalArn") && allWildAccount(cond.Values) {
			return false
		}
		for _, v := range cond.Values {
			if trust.WildcardOnly(v) {
				return false
			}
		}
		return true
	case strings.EqualFold(cond.Key, "aws:SourceIp") && strings.EqualFold(cond.Base, "NotIpAddress"):
		return narrowRanges(cond.Values)
	case strings.EqualFold(cond.Base, "Bool") && iampolicy.KeyIn(cond.Key, c.TrueKeys):
		return allEqual(cond.Values, "false")
	}
	return false
}

// coversActions reports whether the Deny d applies to every action the
// Allow a grants. A wildcard Allow action needs a Deny of the whole service
// or of everything; NotAction Allows need a Deny of everything.
func coversActions(d, a *iampolicy.Statement) bool {
	if d.NotAction || len(d.Actions) == 0 {
		return false
	}
	denyAll := false
	for _, x := range d.Actions {
		denyAll = denyAll || isFull(x)
	}
	if denyAll {
		return true
	}
	if a.NotAction || len(a.Actions) == 0 {
		return false
	}
	for _, act := range a.Actions {
		covered := false
		for _, x := range d.Actions {
			if !x.Known || !act.Known {
				covered = covered || x.Text == act.Text
				continue
			}
			if strings.ContainsAny(act.Text, "*?") {
				svc, rest, _ := strings.Cut(x.Text, ":")
				covered = covered || strings.EqualFold(x.Text, act.Text) ||
					(rest == "*" && strings.EqualFold(svc, iampolicy.ServiceOf(act.Text)))
			} else {
				covered = covered || iampolicy.MatchWildcard(x.Text, act.Text)
			}
		}
		if !covered {
			return false
		}
	}
	return true
}

// coversResources reports whether the Deny d applies to every resource of
// the Allow a.
func coversResources(d, a *iampolicy.Statement) bool {
	if d.NotResource {
		return false
	}
	if len(d.Resources) == 0 || d.AllResources() {
		// No Resource element: resource policies of some services
		// (Lambda layers, EventBridge statements) imply the resource.
		return true
	}
	if a.NotResource || len(a.Resources) == 0 {
		return false
	}
	for _, r := range a.Resources {
		covered := false
		for _, x := range d.Resources {
			covered = covered || x.Text == r.Text || (x.Known && r.Known && iampolicy.MatchWildcard(x.Text, r.Text))
		}
		if !covered {
			return false
		}
	}
	return true
}

func isFull(v iampolicy.Value) bool {
	if !v.Known {
		return false
	}
	t := strings.ReplaceAll(v.Text, "*", "")
	return t == "" || t == ":"
}

// narrowRanges reports whether aws:SourceIp values name ranges narrower
// than the whole internet (unresolved values count as narrow).
func narrowRanges(vs []iampolicy.Value) bool {
	if len(vs) == 0 {
		return false
	}
	for _, v := range vs {
		if !v.Known {
			continue
		}
		t := strings.TrimSpace(v.Text)
		if t == "0.0.0.0/0" || t == "::/0" || t == "*" || t == "" {
			return false
		}
	}
	return true
}

// allWildAccount reports whether every value is an ARN whose account part
// is a wildcard pattern.
func allWildAccount(vs []iampolicy.Value) bool {
	if len(vs) == 0 {
		return false
	}
	for _, v := range vs {
		if !v.Known {
			return false
		}
		parts := strings.SplitN(v.Text, ":", 6)
		if len(parts) < 6 || !strings.ContainsAny(parts[4], "*?") {
			return false
		}
	}
	return true
}

func allEqual(vs []iampolicy.Value, want string) bool {
	if len(vs) == 0 {
		return false
	}
	for _, v := range vs {
		if !v.Known || !strings.EqualFold(strings.TrimSpace(v.Text), want) {
			return false
		}
	}
	return true
}

func opIn(op string, ops []string) bool {
	for _, o := range ops {
		if strings.EqualFold(op, o) {
			return true
		}
	}
	return false
}

// Actions lists a statement's actions for messages: "s3:GetObject and
// s3:PutObject" or "every action except iam:*".
func Actions(st *iampolicy.Statement) string {
	s := rules.List(rules.Texts(st.Actions), 0)
	if st.NotAction {
		return "every action except " + s
	}
	if s == "" {
		return "no action"
	}
	return s
}

// ConditionNote says why a public statement's conditions, if any, do not
// help: " with no condition", or " with conditions (aws:SecureTransport)
// that do not pin the caller".
func ConditionNote(st *iampolicy.Statement) string {
	if len(st.Conditions) == 0 {
		return " with no condition"
	}
	seen := map[string]bool{}
	var keys []string
	for _, c := range st.Conditions {
		if !seen[strings.ToLower(c.Key)] {
			seen[strings.ToLower(c.Key)] = true
			keys = append(keys, c.Key)
		}
	}
	return " with conditions (" + strings.Join(keys, ", ") + ") that do not pin the caller"
}

// kinds names the resources holding resource policies for messages.
var kinds = map[string]string{
	"AWS::S3::BucketPolicy":                  "bucket policy",
	"AWS::SQS::QueuePolicy":                  "queue policy",
	"AWS::SNS::TopicPolicy":                  "topic policy",
	"AWS::KMS::Key":                          "key",
	"AWS::SecretsManager::ResourcePolicy":    "secret policy",
	"AWS::ECR::Repository":                   "repository",
	"AWS::ECR::RegistryPolicy":               "registry policy",
	"AWS::ECR::PublicRepository":             "public repository",
	"AWS::Events::EventBus":                  "event bus",
	"AWS::Events::EventBusPolicy":            "event bus policy",
	"AWS::OpenSearchService::Domain":         "OpenSearch domain",
	"AWS::Elasticsearch::Domain":             "Elasticsearch domain",
	"Custom::OpenSearchAccessPolicy":         "OpenSearch access policy",
	"Custom::ElasticsearchAccessPolicy":      "Elasticsearch access policy",
	"AWS::ApiGateway::RestApi":               "REST API",
	"AWS::Backup::BackupVault":               "backup vault",
	"AWS::EFS::FileSystem":                   "file system",
	"AWS::CodeArtifact::Domain":              "CodeArtifact domain",
	"AWS::CodeArtifact::Repository":          "CodeArtifact repository",
	"AWS::S3::AccessPoint":                   "access point",
	"AWS::S3::MultiRegionAccessPointPolicy":  "multi-region access point policy",
	"AWS::S3ObjectLambda::AccessPointPolicy": "Object Lambda access point policy",
	"AWS::Logs::ResourcePolicy":              "log resource policy",
	"AWS::Glue::ResourcePolicy":              "Glue catalog policy",
	"AWS::EventSchemas::RegistryPolicy":      "schema registry policy",
	"AWS::Lambda::LayerVersionPermission":    "layer permission",
	"AWS::Lambda::Permission":                "permission",
}

// Kind names a resource type for messages ("secret policy", "event bus");
// unknown types give their last segment in lower case.
func Kind(resourceType string) string {
	if k, ok := kinds[resourceType]; ok {
		return k
	}
	if i := strings.LastIndex(resourceType, "::"); i >= 0 {
		return strings.ToLower(resourceType[i+2:])
	}
	return "resource"
}

// Describe names the resource holding a document: "secret policy
// PartnerApiSecret/Policy".
func Describe(m *stackmodel.Model, d *iampolicy.Document) string {
	name := d.LogicalID
	if r := m.Resource(d.LogicalID); r != nil {
		name = r.Name()
	}
	return Kind(d.ResourceType) + " " + name
}

// Where names a statement for messages: `secret policy
// PartnerApiSecret/Policy statement #1`.
func Where(m *stackmodel.Model, st *iampolicy.Statement) string {
	return Describe(m, st.Doc) + " " + st.Where()
}
