package public

import (
	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// extraPlaces are resource policies the stack model does not normalize (yet):
// resource type → property holding the document.
var extraPlaces = map[string]string{
	"AWS::ECR::RegistryPolicy":          "PolicyText",
	"AWS::ECR::PublicRepository":        "RepositoryPolicyText",
	"AWS::EventSchemas::RegistryPolicy": "Policy",
}

// customAccessPolicies are the custom resources aws-cdk-lib's OpenSearch and
// Elasticsearch Domain constructs write the domain access policy through
// (an AwsCustomResource calling UpdateDomainConfig): the policy is a JSON
// string inside the JSON string of the Create (or Update) property.
var customAccessPolicies = map[string]bool{
	"Custom::OpenSearchAccessPolicy":    true,
	"Custom::ElasticsearchAccessPolicy": true,
}

// Documents returns every resource policy document of the stack: the stack
// model's resource policies, plus those it does not normalize (ECR registry
// policies, ECR public repositories, EventBridge schema registries) and the
// domain access policies aws-cdk-lib writes through
// Custom::OpenSearchAccessPolicy and Custom::ElasticsearchAccessPolicy
// (reported on their Create property).
func Documents(m *stackmodel.Model) []*iampolicy.Document {
	out := m.DocumentsOf(iampolicy.ResourcePolicy)
	have := map[string]bool{}
	for _, d := range m.Documents {
		have[d.LogicalID] = true
	}
	for _, r := range m.Resources {
		if have[r.LogicalID] {
			continue // the stack model normalizes it already
		}
		if prop, ok := extraPlaces[r.Type]; ok {
			if n := r.Prop(prop); n != nil {
				out = append(out, iampolicy.Parse(n, iampolicy.ResourcePolicy, r.LogicalID, r.Type, prop))
			}
			continue
		}
		if customAccessPolicies[r.Type] {
			if d := customAccessPolicy(r); d != nil {
				out = append(out, d)
			}
		}
	}
	return out
}

// customAccessPolicy decodes the access policy of a CDK domain access
// policy custom resource. Parts CloudFormation resolves at deploy time
// (the domain ARN) stay ${…} text inside the decoded strings, and so never
// look like "*".
func customAccessPolicy(r *stackmodel.Resource) *iampolicy.Document {
	prop := "Create"
	call := r.Prop(prop)
	if call == nil {
		prop, call = "Update", r.Prop("Update")
	}
	if call == nil {
		return nil
	}
	text, _ := cfn.Sym(call)
	outer, err := cfn.ParseJSON([]byte(text))
	if err != nil {
		return nil
	}
	inner := outer.Path("parameters", "AccessPolicies")
	if inner == nil || inner.Kind != cfn.String {
		return nil
	}
	// Parse a detached copy, then point every location at the property.
	tmp := &cfn.Node{Kind: cfn.String, Str: inner.Str, Start: call.Start, End: call.End}
	d := iampolicy.Parse(tmp, iampolicy.ResourcePolicy, r.LogicalID, r.Type, prop)
	rebind(d, tmp, call)
	return d
}

// rebind replaces every location of d that is from with to.
func rebind(d *iampolicy.Document, from, to *cfn.Node) {
	sw := func(n **cfn.Node) {
		if *n == from {
			*n = to
		}
	}
	values := func(vs []iampolicy.Value) {
		for i := range vs {
			sw(&vs[i].At)
		}
	}
	sw(&d.At)
	for i := range d.Problems {
		sw(&d.Problems[i].At)
	}
	for _, st := range d.Statements {
		for _, n := range []**cfn.Node{&st.At, &st.EffectAt, &st.ActionAt, &st.ResourceAt, &st.PrincipalAt, &st.ConditionAt} {
			sw(n)
		}
		values(st.Actions)
		values(st.Resources)
		for i := range st.Principals {
			sw(&st.Principals[i].Value.At)
		}
		for i := range st.Conditions {
			sw(&st.Conditions[i].At)
			sw(&st.Conditions[i].OpAt)
			values(st.Conditions[i].Values)
		}
	}
}
