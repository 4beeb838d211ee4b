// Package iam052 defines IAM052 (other-resource-policy-public).
package iam052

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/public"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `resource policy allows everyone without pinning

Resource policies are the main path to unintended public and cross-account
access: an Allow statement whose principal is "*" (or {"AWS": "*"}, or
NotPrincipal) applies to every AWS account, and for some services to
anonymous callers. Unless a condition pins the caller (aws:PrincipalOrgID,
aws:PrincipalAccount, aws:SourceArn, aws:SourceAccount, aws:SourceVpce,
an aws:SourceIp range, …) or a Deny of the same policy fences it in (Deny
"*" unless aws:SourceVpce matches), anyone can use the resource. AWS's IAM
guidance (and IAM Access Analyzer's public-access findings) asks to grant
resource policies to named principals or the organization. This rule
covers the resource policies other rules do not (S3: IAM048, SQS and SNS:
IAM049, KMS: IAM050, ECR: IAM051): EventBridge buses
(AWS::Events::EventBus Policy, AWS::Events::EventBusPolicy in both its
Statement and its Principal/Condition forms), OpenSearch and Elasticsearch
domain access policies (including the Custom::OpenSearchAccessPolicy
aws-cdk-lib writes), Secrets Manager resource policies, API Gateway REST
API policies, Backup vault access policies, EFS file system policies,
CodeArtifact domains and repositories, S3 access points, Lambda layer
permissions (Principal "*" without OrganizationId), CloudWatch Logs, Glue
and schema registry policies. Glacier vault policies cannot be written in
CloudFormation (there is no AWS::Glacier::Vault type).

Severity is high, critical when the statement also allows permission
management or every action (of the service). Some public statements are
what the service expects and are graded lower: a REST API policy allowing
execute-api:Invoke to everyone is medium (without a policy a regional API
is public too; its authorizers protect it), a public Lambda layer is
medium (how layers are published), an OpenSearch domain in a VPC is low
(security groups control access) and one with fine-grained access control
is not reported (AWS recommends an open domain policy with it). The
default EFS policy CDK writes (Principal "*" limited by
elasticfilesystem:AccessedViaMountTarget) is pinned. A Secrets Manager
policy granting a whole foreign account (its root) with no condition is
reported at medium: every principal that account's IAM allows can read
the secret.`

// Rule is IAM052.
var Rule = rules.Register(&rules.Rule{
	Slug:     "other-resource-policy-public",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"AwsSolutions-EVB1", "AwsSolutions-OS5", "CKV_AWS_167"},
	CWE:      []string{"CWE-284", "CWE-732"},
	Fix:      "Grant the resource to named principals (secret.grantRead(role), bus.grantPutEventsTo(role)), or add a condition such as aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn.",
	Bad:      "secret.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['secretsmanager:GetSecretValue'], resources: ['*'] }));",
	Good:     "secret.grantRead(new iam.ArnPrincipal('arn:aws:iam::222222222222:role/payments'));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM052",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// owned are the resource policies other rules report.
var owned = map[string]bool{
	"AWS::S3::BucketPolicy":      true, // IAM048
	"AWS::SQS::QueuePolicy":      true, // IAM049
	"AWS::SNS::TopicPolicy":      true, // IAM049
	"AWS::KMS::Key":              true, // IAM050
	"AWS::ECR::Repository":       true, // IAM051
	"AWS::ECR::RegistryPolicy":   true, // IAM051
	"AWS::ECR::PublicRepository": true, // IAM051
}

// checkers add service keys that pin the caller.
var checkers = map[string]public.Checker{
	"AWS::EFS::FileSystem": {
		Keys:     []string{"elasticfilesystem:AccessPointArn"},
		TrueKeys: []string{"elasticfilesystem:AccessedViaMountTarget"},
	},
	"AWS::S3::AccessPoint":                   {Keys: []string{"s3:DataAccessPointAccount", "s3:DataAccessPointArn"}},
	"AWS::S3::MultiRegionAccessPointPolicy":  {Keys: []string{"s3:DataAccessPointAccount", "s3:DataAccessPointArn"}},
	"AWS::S3ObjectLambda::AccessPointPolicy": {Keys: []string{"s3:DataAccessPointAccount", "s3:DataAccessPointArn"}},
	"AWS::Backup::BackupVault":               {Keys: []string{"backup:CopyTargetOrgPaths"}},
}

// what says what a public statement lets anyone do, by resource type.
var what = map[string]string{
	"AWS::SecretsManager::ResourcePolicy":    "any AWS account can call these actions on the secret",
	"AWS::Events::EventBus":                  "any AWS account can put events on the bus and trigger its rules",
	"AWS::Events::EventBusPolicy":            "any AWS account can put events on the bus and trigger its rules",
	"AWS::OpenSearchService::Domain":         "anyone can read and write the domain's data",
	"AWS::Elasticsearch::Domain":             "anyone can read and write the domain's data",
	"Custom::OpenSearchAccessPolicy":         "anyone can read and write the domain's data",
	"Custom::ElasticsearchAccessPolicy":      "anyone can read and write the domain's data",
	"AWS::ApiGateway::RestApi":               "any caller can invoke the API; only its authorizers protect it",
	"AWS::Backup::BackupVault":               "any AWS account can call these actions on the vault's recovery points",
	"AWS::EFS::FileSystem":                   "any AWS account can mount and use the file system",
	"AWS::CodeArtifact::Domain":              "any AWS account can use the domain's repositories",
	"AWS::CodeArtifact::Repository":          "any AWS account can call these actions on the repository's packages",
	"AWS::S3::AccessPoint":                   "any AWS account can use the access point",
	"AWS::S3::MultiRegionAccessPointPolicy":  "any AWS account can use the access point",
	"AWS::S3ObjectLambda::AccessPointPolicy": "any AWS account can use the access point",
}

// base is the severity of a public statement by resource type (default
// high): services where a public statement is an expected configuration
// are graded lower.
var base = map[string]rules.Severity{
	"AWS::ApiGateway::RestApi": rules.Medium,
}

var domainTypes = map[string]bool{
	"AWS::OpenSearchService::Domain":    true,
	"AWS::Elasticsearch::Domain":        true,
	"Custom::OpenSearchAccessPolicy":    true,
	"Custom::ElasticsearchAccessPolicy": true,
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	ctx := trust.ContextOf(m)
	for _, d := range public.Documents(m) {
		if owned[d.ResourceType] {
			continue
		}
		checker := checkers[d.ResourceType]
		for _, st := range d.Statements {
			reportPublic(pass, m, d, checker, st)
			if d.ResourceType == "AWS::SecretsManager::ResourcePolicy" {
				reportForeignRoot(pass, m, ctx, checker, st)
			}
		}
	}
	eventBusPolicies(pass, m)
	layerPermissions(pass, m)
	return nil, nil
}

func reportPublic(pass *analysis.Pass, m *stackmodel.Model, d *iampolicy.Document, checker public.Checker, st *iampolicy.Statement) {
	refs := checker.Exposed(st)
	if len(refs) == 0 {
		return
	}
	sev, ok := base[d.ResourceType]
	if !ok {
		sev = rules.High
		if managesPermissions(st) {
			sev = rules.Critical
		}
	}
	w := what[d.ResourceType]
	if w == "" {
		w = "any AWS account can call these actions on the " + public.Kind(d.ResourceType)
	}
	if domainTypes[d.ResourceType] {
		dom := domainOf(m, d)
		switch {
		case dom != nil && fineGrained(dom):
			return // AWS recommends an open domain policy with fine-grained access control
		case dom != nil && dom.Prop("VPCOptions") != nil:
			sev, w = rules.Low, "the domain is in a VPC, so its security groups are what limits access"
		}
	}
	for _, ref := range refs {
		rules.Report(pass, rules.Diag{
			At:        ref.At,
			Statement: st,
			Severity:  sev,
			Evidence:  ref.Text,
			Message: fmt.Sprintf("%s allows %s to everyone (%s)%s: %s",
				public.Where(m, st), public.Actions(st), ref.Text, public.ConditionNote(st), w),
		})
	}
}

// reportForeignRoot reports a secret policy Allow that names a whole
// foreign account (its root) with no condition pinning the principal.
func reportForeignRoot(pass *analysis.Pass, m *stackmodel.Model, ctx *trust.Context, checker public.Checker, st *iampolicy.Statement) {
	if !st.Allow() || checker.Pinned(st) {
		return
	}
	for _, p := range ctx.AWSPrincipals(st) {
		if !p.Known || !p.IsRoot || !p.Foreign() {
			continue
		}
		sev, note := rules.Medium, ""
		if ctx.InAssembly(p.Account) {
			sev, note = rules.Low, " (an account this cloud assembly also deploys to)"
		}
		rules.Report(pass, rules.Diag{
			At:        p.Value.At,
			Statement: st,
			Severity:  sev,
			Evidence:  p.Value.Text,
			Message: fmt.Sprintf("%s allows %s to the whole account %s%s%s: every principal that account's IAM allows can use the secret; name the role that needs it or pin it with aws:PrincipalArn",
				public.Where(m, st), public.Actions(st), p.Account, note, public.ConditionNote(st)),
		})
	}
}

// managesPermissions reports whether a statement allows every action
// (NotAction, "*", "svc:*") or, by the catalogue, a permissions management
// action. Unknown actions do not raise the severity.
func managesPermissions(st *iampolicy.Statement) bool {
	if st.NotAction {
		return true
	}
	for _, a := range st.Actions {
		if !a.Known {
			continue
		}
		if _, act, _ := strings.Cut(a.Text, ":"); strings.Trim(a.Text, "*:") == "" || act == "*" {
			return true // every action, or every action of the service
		}
		for _, x := range iamdata.Expand(a.Text) {
			if x.Access == iamdata.PermissionsManagement {
				return true
			}
		}
	}
	return false
}

// domainOf returns the domain resource an access policy belongs to: the
// domain itself, or the domain a CDK access policy custom resource names
// (its DomainName parameter is a Ref of the domain).
func domainOf(m *stackmodel.Model, d *iampolicy.Document) *stackmodel.Resource {
	r := m.Resource(d.LogicalID)
	if r == nil || !strings.HasPrefix(r.Type, "Custom::") {
		return r
	}
	text, _ := cfn.Sym(r.Prop(d.Locator))
	outer, err := cfn.ParseJSON([]byte(text))
	if err != nil {
		return nil
	}
	name, _ := outer.Path("parameters", "DomainName").Literal()
	id, ok := strings.CutPrefix(name, "${")
	if !ok || !strings.HasSuffix(id, "}") || strings.Count(name, "${") != 1 {
		return nil
	}
	return m.Resource(strings.TrimSuffix(id, "}"))
}

// fineGrained reports whether a domain enables fine-grained access control.
func fineGrained(dom *stackmodel.Resource) bool {
	v, ok := dom.Prop("AdvancedSecurityOptions", "Enabled").Literal()
	return ok && strings.EqualFold(v, "true")
}

// eventBusPolicies reports AWS::Events::EventBusPolicy resources written in
// the Principal/Action/Condition form (the Statement form is a document of
// the stack model): Principal "*" without a Condition on a pinning key.
func eventBusPolicies(pass *analysis.Pass, m *stackmodel.Model) {
	for _, r := range m.ResourcesOfType("AWS::Events::EventBusPolicy") {
		if r.Prop("Statement") != nil {
			continue
		}
		pn := r.Prop("Principal")
		if p, ok := pn.Literal(); !ok || strings.TrimSpace(p) != "*" {
			continue
		}
		c := r.Prop("Condition")
		if c != nil && conditionPins(c) {
			continue
		}
		note := " with no Condition"
		if c != nil {
			note = fmt.Sprintf(" with a Condition on %s that does not pin the caller", cfn.SymString(c.Get("Key")))
		}
		action := cfn.SymString(r.Prop("Action"))
		rules.Report(pass, rules.Diag{
			At:       pn,
			Locator:  "Principal",
			Evidence: `"*"`,
			Message: fmt.Sprintf("event bus policy %s allows %s on bus %s to everyone (Principal \"*\")%s: %s",
				r.Name(), action, cfn.SymString(r.Prop("EventBusName")), note, what["AWS::Events::EventBusPolicy"]),
		})
	}
}

// conditionPins reads an EventBusPolicy Condition {Type, Key, Value} as a
// policy condition and tells whether it pins the caller.
func conditionPins(c *cfn.Node) bool {
	typ, ok1 := c.Get("Type").Literal()
	key, ok2 := c.Get("Key").Literal()
	if !ok1 || !ok2 {
		return true // unresolved: never call it unsafe
	}
	text, known := cfn.Sym(c.Get("Value"))
	b, set, ifExists := iampolicy.SplitOperator(typ)
	st := &iampolicy.Statement{Conditions: []iampolicy.Condition{{
		Operator: typ, Base: b, Set: set, IfExists: ifExists, Key: key,
		Values: []iampolicy.Value{{Text: text, Known: known}},
	}}}
	return public.Checker{}.Pinned(st)
}

// layerPermissions reports AWS::Lambda::LayerVersionPermission resources
// that share a layer version with everyone ("*") and no OrganizationId.
func layerPermissions(pass *analysis.Pass, m *stackmodel.Model) {
	for _, r := range m.ResourcesOfType("AWS::Lambda::LayerVersionPermission") {
		pn := r.Prop("Principal")
		if p, ok := pn.Literal(); !ok || strings.TrimSpace(p) != "*" {
			continue
		}
		if org := r.Prop("OrganizationId"); org != nil {
			if v, ok := org.Literal(); !ok || strings.Trim(v, "*? ") != "" {
				continue
			}
		}
		rules.Report(pass, rules.Diag{
			At:       pn,
			Severity: rules.Medium,
			Locator:  "Principal",
			Evidence: `"*"`,
			Message: fmt.Sprintf("layer permission %s allows %s on %s to every AWS account (Principal \"*\") with no OrganizationId: anyone can download the layer's code; intended only for layers published to the public",
				r.Name(), cfn.SymString(r.Prop("Action")), cfn.SymString(r.Prop("LayerVersionArn"))),
		})
	}
}
