// Package stackmodel is the building block every iamvet rule requires: the
// stack's resources by logical ID, every IAM policy document of the stack
// normalized (identity, trust and resource policies), and the principal
// graph — which documents attach to which role, user and group, which
// groups a user is in, and who can assume each role.
package stackmodel

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules"
)

// Analyzer builds the Model of a stack.
var Analyzer = &analysis.Analyzer{
	Name:       "stackmodel",
	Doc:        "build the stack model: resources, normalized policy documents and the principal graph",
	Run:        run,
	ResultType: reflect.TypeOf((*Model)(nil)),
}

// Model is a stack as rules see it.
type Model struct {
	Stack     *loader.Stack
	Template  *cfn.Template
	Resources []*Resource // template order
	byID      map[string]*Resource
	// Documents holds every policy document of the stack, in template order.
	Documents []*iampolicy.Document
	// Principals holds every role, user and group, in template order.
	Principals []*Principal
	byPrinc    map[string]*Principal
	// statements indexes the documents' statements by kind on first use
	// (Statements): two dozen rules ask for them on every stack.
	statementsOnce sync.Once
	statements     map[iampolicy.Kind][]*iampolicy.Statement
	allStatements  []*iampolicy.Statement
}

// Resource is one template resource.
type Resource struct {
	LogicalID     string
	Type          string
	Node          *cfn.Node
	Props         *cfn.Node // may be nil
	ConstructPath string
	// Internal names the CDK-internal construct the resource belongs to
	// ("" for the user's own constructs).
	Internal string
}

// Prop returns a property node.
func (r *Resource) Prop(keys ...string) *cfn.Node { return r.Props.Path(keys...) }

// Name is how messages name the resource: its construct path when known,
// else its logical ID.
func (r *Resource) Name() string {
	if r.ConstructPath != "" {
		return strings.TrimSuffix(r.ConstructPath, "/Resource")
	}
	return r.LogicalID
}

// PrincipalKind is a kind of IAM identity.
type PrincipalKind string

// Principal kinds.
const (
	Role  PrincipalKind = "role"
	User  PrincipalKind = "user"
	Group PrincipalKind = "group"
)

// Principal is a role, user or group with what attaches to it.
type Principal struct {
	Resource *Resource
	Kind     PrincipalKind
	// Trust is a role's AssumeRolePolicyDocument.
	Trust *iampolicy.Document
	// Policies are the identity documents attached: inline Policies and
	// AWS::IAM::Policy / ManagedPolicy resources that name this principal
	// (and, for users, those of their in-stack groups).
	Policies []*iampolicy.Document
	// ManagedPolicyArns are ARNs that are not in-stack managed policies
	// (AWS managed policies or policies defined elsewhere).
	ManagedPolicyArns []iampolicy.Value
	// Groups are a user's groups: in-stack group logical IDs or names.
	Groups []string
	// ExternalGroups are group names not defined in this stack.
	ExternalGroups []string
	// Members are a group's in-stack users.
	Members []*Principal
}

// Resource returns the resource with the logical ID, or nil.
func (m *Model) Resource(id string) *Resource { return m.byID[id] }

// ResourcesOfType returns the resources of the given types in template order.
func (m *Model) ResourcesOfType(types ...string) []*Resource {
	var out []*Resource
	for _, r := range m.Resources {
		for _, t := range types {
			if r.Type == t {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// RefName names the value n for messages: the Name of the in-template
// resource it references with Ref, else its symbolic text (a literal
// name, ${Param}).
func (m *Model) RefName(n *cfn.Node) string {
	if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
		id, _ := arg.Literal()
		if r := m.Resource(id); r != nil {
			return r.Name()
		}
	}
	return cfn.SymString(n)
}

// Principal returns the principal of a logical ID, or nil.
func (m *Model) Principal(id string) *Principal { return m.byPrinc[id] }

// DocumentsOf returns the documents of the given kind.
func (m *Model) DocumentsOf(kind iampolicy.Kind) []*iampolicy.Document {
	var out []*iampolicy.Document
	for _, d := range m.Documents {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}

// Statements returns every statement of every document of the kinds given
// (all kinds when none are given), in document order. The slice is shared:
// do not modify it.
func (m *Model) Statements(kinds ...iampolicy.Kind) []*iampolicy.Statement {
	m.statementsOnce.Do(func() {
		m.statements = map[iampolicy.Kind][]*iampolicy.Statement{}
		for _, d := range m.Documents {
			m.statements[d.Kind] = append(m.statements[d.Kind], d.Statements...)
			m.allStatements = append(m.allStatements, d.Statements...)
		}
	})
	switch len(kinds) {
	case 0:
		return m.allStatements
	case 1:
		return m.statements[kinds[0]]
	}
	var out []*iampolicy.Statement
	for _, d := range m.Documents {
		if slices.Contains(kinds, d.Kind) {
			out = append(out, d.Statements...)
		}
	}
	return out
}

// DocResource returns the resource holding a document.
func (m *Model) DocResource(d *iampolicy.Document) *Resource { return m.byID[d.LogicalID] }

// Describe names a document for messages: "role AppRole inline policy
// \"deploy\"", "policy AppRole/DefaultPolicy", "bucket policy Site/Policy".
func (m *Model) Describe(d *iampolicy.Document) string {
	r := m.byID[d.LogicalID]
	name := d.LogicalID
	if r != nil {
		name = r.Name()
	}
	switch {
	case strings.HasPrefix(d.Locator, "Policies["):
		return kindWord(d.ResourceType) + " " + name + " inline policy " + strconv.Quote(strings.TrimSuffix(strings.TrimPrefix(d.Locator, "Policies["), "]"))
	case d.Kind == iampolicy.Trust:
		return "role " + name + " trust policy"
	}
	return kindWord(d.ResourceType) + " " + name
}

func kindWord(t string) string {
	switch t {
	case "AWS::IAM::Role":
		return "role"
	case "AWS::IAM::User":
		return "user"
	case "AWS::IAM::Group":
		return "group"
	case "AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy":
		return "policy"
	case "AWS::IAM::ManagedPolicy":
		return "managed policy"
	case "AWS::SSO::PermissionSet":
		return "permission set"
	case "AWS::S3::BucketPolicy":
		return "bucket policy"
	case "AWS::SQS::QueuePolicy":
		return "queue policy"
	case "AWS::SNS::TopicPolicy":
		return "topic policy"
	case "AWS::KMS::Key":
		return "key"
	}
	if i := strings.LastIndex(t, "::"); i >= 0 {
		return strings.ToLower(t[i+2:])
	}
	return "resource"
}

// policyPlace says where a resource type holds a policy document.
type policyPlace struct {
	prop string
	kind iampolicy.Kind
}

// documentPlaces lists the single-document properties of resource types.
// Roles, users and groups (Policies lists, trust) are handled in code.
var documentPlaces = map[string]policyPlace{
	"AWS::IAM::Policy":                       {"PolicyDocument", iampolicy.Identity},
	"AWS::IAM::ManagedPolicy":                {"PolicyDocument", iampolicy.Identity},
	"AWS::IAM::RolePolicy":                   {"PolicyDocument", iampolicy.Identity},
	"AWS::IAM::UserPolicy":                   {"PolicyDocument", iampolicy.Identity},
	"AWS::IAM::GroupPolicy":                  {"PolicyDocument", iampolicy.Identity},
	"AWS::SSO::PermissionSet":                {"InlinePolicy", iampolicy.Identity},
	"AWS::S3::BucketPolicy":                  {"PolicyDocument", iampolicy.ResourcePolicy},
	"AWS::SQS::QueuePolicy":                  {"PolicyDocument", iampolicy.ResourcePolicy},
	"AWS::SNS::TopicPolicy":                  {"PolicyDocument", iampolicy.ResourcePolicy},
	"AWS::KMS::Key":                          {"KeyPolicy", iampolicy.ResourcePolicy},
	"AWS::SecretsManager::ResourcePolicy":    {"ResourcePolicy", iampolicy.ResourcePolicy},
	"AWS::ECR::Repository":                   {"RepositoryPolicyText", iampolicy.ResourcePolicy},
	"AWS::Events::EventBus":                  {"Policy", iampolicy.ResourcePolicy},
	"AWS::OpenSearchService::Domain":         {"AccessPolicies", iampolicy.ResourcePolicy},
	"AWS::Elasticsearch::Domain":             {"AccessPolicies", iampolicy.ResourcePolicy},
	"AWS::ApiGateway::RestApi":               {"Policy", iampolicy.ResourcePolicy},
	"AWS::Backup::BackupVault":               {"AccessPolicy", iampolicy.ResourcePolicy},
	"AWS::EFS::FileSystem":                   {"FileSystemPolicy", iampolicy.ResourcePolicy},
	"AWS::CodeArtifact::Domain":              {"PermissionsPolicyDocument", iampolicy.ResourcePolicy},
	"AWS::CodeArtifact::Repository":          {"PermissionsPolicyDocument", iampolicy.ResourcePolicy},
	"AWS::S3::AccessPoint":                   {"Policy", iampolicy.ResourcePolicy},
	"AWS::S3::MultiRegionAccessPointPolicy":  {"Policy", iampolicy.ResourcePolicy},
	"AWS::S3ObjectLambda::AccessPointPolicy": {"PolicyDocument", iampolicy.ResourcePolicy},
	"AWS::Logs::ResourcePolicy":              {"PolicyDocument", iampolicy.ResourcePolicy},
	"AWS::Glue::ResourcePolicy":              {"PolicyInJson", iampolicy.ResourcePolicy},
	"AWS::IoT::Policy":                       {"PolicyDocument", iampolicy.DevicePolicy},
}

func run(pass *analysis.Pass) (any, error) {
	s := rules.StackOf(pass)
	return Build(s), nil
}

// Build constructs the model of a loaded stack.
func Build(s *loader.Stack) *Model {
	m := &Model{Stack: s, Template: s.Template, byID: map[string]*Resource{}, byPrinc: map[string]*Principal{}}
	res := s.Template.Root.Get("Resources")
	if res == nil {
		res = &cfn.Node{Kind: cfn.Object}
	}
	for i, id := range res.Keys {
		n := res.Vals[i]
		typ, _ := n.Get("Type").Literal()
		r := &Resource{LogicalID: id, Type: typ, Node: n, Props: n.Get("Properties"), ConstructPath: s.ResourcePath(id)}
		r.Internal = rules.InternalConstruct(s, r.ConstructPath, id)
		m.Resources = append(m.Resources, r)
		m.byID[id] = r
	}
	for _, r := range m.Resources {
		m.collectDocuments(r)
	}
	m.buildGraph()
	return m
}

func (m *Model) add(r *Resource, n *cfn.Node, kind iampolicy.Kind, locator string) *iampolicy.Document {
	if n == nil {
		return nil
	}
	d := iampolicy.Parse(n, kind, r.LogicalID, r.Type, locator)
	m.Documents = append(m.Documents, d)
	return d
}

func (m *Model) collectDocuments(r *Resource) {
	switch r.Type {
	case "AWS::IAM::Role":
		m.add(r, r.Prop("AssumeRolePolicyDocument"), iampolicy.Trust, "AssumeRolePolicyDocument")
		m.inlinePolicies(r)
	case "AWS::IAM::User", "AWS::IAM::Group":
		m.inlinePolicies(r)
	case "AWS::Events::EventBusPolicy":
		// A single statement, not a document.
		if st := r.Prop("Statement"); st != nil {
			doc := &cfn.Node{Kind: cfn.Object, Start: st.Start, End: st.End, Keys: []string{"Statement"}, KeyPos: []int{st.Start}, Vals: []*cfn.Node{st}}
			d := iampolicy.Parse(doc, iampolicy.ResourcePolicy, r.LogicalID, r.Type, "Statement")
			d.At = st
			m.Documents = append(m.Documents, d)
		}
	default:
		if p, ok := documentPlaces[r.Type]; ok {
			m.add(r, r.Prop(p.prop), p.kind, p.prop)
		}
	}
}

func (m *Model) inlinePolicies(r *Resource) {
	for i, p := range r.Prop("Policies").Elems() {
		name, ok := p.Get("PolicyName").Literal()
		if !ok {
			name = cfn.SymString(p.Get("PolicyName"))
			if p.Get("PolicyName") == nil {
				name = "#" + strconv.Itoa(i+1)
			}
		}
		m.add(r, p.Get("PolicyDocument"), iampolicy.Identity, "Policies["+name+"]")
	}
}

// Of returns the model computed for the pass's stack. Rules list Analyzer in
// their Requires.
func Of(pass *analysis.Pass) *Model { return pass.ResultOf[Analyzer].(*Model) }

// Where names a statement inside its document for messages:
// `role Builder inline policy everythingButIam statement #1`.
func (m *Model) Where(st *iampolicy.Statement) string {
	return m.Describe(st.Doc) + " " + st.Where()
}
