// Package iam001 defines IAM001 (iam-user-access-key).
package iam001

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `stack creates a long-lived iam access key

An AWS::IAM::AccessKey is a long-term credential: it works until someone
deletes it, from anywhere, and CDK apps tend to hand its secret around. AWS's
IAM best practices ask workloads to use temporary credentials instead: an IAM
role for code running in AWS (Lambda, ECS task and EC2 instance roles),
IAM Roles Anywhere or OIDC federation for CI systems outside AWS.

The finding is critical when the key's SecretAccessKey leaves the stack in
plain text: in a stack output (readable by anyone allowed
cloudformation:DescribeStacks), in an SSM parameter (CloudFormation can only
create String parameters), in a Lambda function's environment variables or
in an ECS container's environment (both readable from the function or task
definition). Keeping the secret in Secrets Manager is the right pattern and
is not escalated. Inactive keys are reported at low severity.`

// Rule is IAM001.
var Rule = rules.Register(&rules.Rule{
	Slug: "iam-user-access-key",
	// RULES.md gives 7.5; the lead set medium for a key that stays in the
	// stack, and the finding is critical when the secret leaks.
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"48677914-6fdf-40ec-80c4-2b0e94079f54", "AWS-0167"},
	CWE:      []string{"CWE-798", "CWE-522"},
	Fix:      "Give the workload a role (Lambda/ECS/EC2 roles, OIDC federation for CI) instead of an access key; if a key is unavoidable, keep its secret in Secrets Manager and rotate it.",
	Bad:      "new cdk.CfnOutput(this, 'Secret', { value: new iam.AccessKey(this, 'Key', { user }).secretAccessKey.unsafeUnwrap() });",
	Good:     "new iam.Role(this, 'CiRole', { assumedBy: new iam.WebIdentityPrincipal(provider.openIdConnectProviderArn, conditions) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM001",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// leak is a place the secret access key of a key leaves the stack.
type leak struct {
	at    *cfn.Node
	where string // "output ReportingSecret", "SSM parameter Param"
	why   string // who can read it there
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, k := range m.ResourcesOfType("AWS::IAM::AccessKey") {
		userNode := k.Prop("UserName")
		if name, ok := userNode.Literal(); ok && strings.EqualFold(name, "root") {
			continue // IAM009 reports keys for "root" as critical
		}
		user := userName(m, userNode)
		inactive := false
		if s, ok := k.Prop("Status").Literal(); ok && strings.EqualFold(s, "Inactive") {
			inactive = true
		}
		leaks := findLeaks(m, k.LogicalID)

		at := userNode
		if at == nil {
			at = k.Node.Get("Type")
		}
		sev := rules.Medium
		var msg string
		switch {
		case len(leaks) > 0:
			sev = rules.Critical
			var places []string
			for _, l := range leaks {
				places = append(places, l.where)
			}
			msg = fmt.Sprintf("access key %s of user %s is a long-lived credential and its secret access key leaves the stack in plain text (%s): deactivate and rotate it, keep the secret in Secrets Manager, and prefer a role",
				k.Name(), user, strings.Join(places, ", "))
		default:
			msg = fmt.Sprintf("access key %s of user %s is a long-lived credential: use a role with temporary credentials (OIDC federation for CI, Lambda/ECS/EC2 roles for workloads)",
				k.Name(), user)
		}
		if inactive {
			sev = sev.Lower()
			msg += " (the key is Inactive now, but can be re-activated)"
		}
		var related []rules.Related
		for _, l := range leaks {
			related = append(related, rules.Related{At: l.at, Message: "secret access key exposed in " + l.where})
		}
		rules.Report(pass, rules.Diag{
			At:       at,
			Message:  msg,
			Severity: sev,
			Locator:  "AccessKey",
			Evidence: "AWS::IAM::AccessKey",
			Related:  related,
		})
		for _, l := range leaks {
			lsev := rules.Critical
			if inactive {
				lsev = lsev.Lower()
			}
			rules.Report(pass, rules.Diag{
				At:       l.at,
				Message:  fmt.Sprintf("%s exposes the secret access key of %s (user %s) in plain text, %s: store it in Secrets Manager, or better, use a role", l.where, k.Name(), user, l.why),
				Severity: lsev,
				Locator:  "SecretAccessKey",
				Evidence: k.LogicalID + ".SecretAccessKey",
				Related:  []rules.Related{{At: at, Message: "access key " + k.Name()}},
			})
		}
	}
	return nil, nil
}

// userName names the user an access key belongs to.
func userName(m *stackmodel.Model, n *cfn.Node) string {
	if n == nil {
		return "(no UserName)"
	}
	if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
		if id, ok := arg.Literal(); ok {
			if r := m.Resource(id); r != nil && r.Type == "AWS::IAM::User" {
				return r.Name()
			}
		}
	}
	if s, ok := n.Literal(); ok {
		for _, u := range m.ResourcesOfType("AWS::IAM::User") {
			if un, ok := u.Prop("UserName").Literal(); ok && un == s {
				return u.Name()
			}
		}
		return fmt.Sprintf("%q", s)
	}
	return cfn.SymString(n)
}

// findLeaks returns where the secret access key of the key leaves the stack:
// stack outputs, SSM parameters, Lambda environment variables and ECS
// container environments. Secrets Manager secrets are the right place and
// are not leaks.
func findLeaks(m *stackmodel.Model, keyID string) []leak {
	var out []leak
	outputs := m.Template.Root.Get("Outputs")
	if outputs != nil && outputs.Kind == cfn.Object {
		for i, name := range outputs.Keys {
			if v := outputs.Vals[i].Get("Value"); usesSecret(v, keyID, 0) {
				out = append(out, leak{v, "output " + name, "readable by anyone allowed cloudformation:DescribeStacks"})
			}
		}
	}
	for _, r := range m.Resources {
		switch r.Type {
		case "AWS::SSM::Parameter":
			if v := r.Prop("Value"); usesSecret(v, keyID, 0) {
				out = append(out, leak{v, "SSM parameter " + r.Name(), "readable by anyone allowed ssm:GetParameter (CloudFormation cannot create SecureString parameters)"})
			}
		case "AWS::Lambda::Function", "AWS::Serverless::Function":
			vars := r.Prop("Environment", "Variables")
			if vars == nil || vars.Kind != cfn.Object {
				continue
			}
			for i, name := range vars.Keys {
				if v := vars.Vals[i]; usesSecret(v, keyID, 0) {
					out = append(out, leak{v, fmt.Sprintf("function %s environment variable %s", r.Name(), name), "readable by anyone allowed lambda:GetFunctionConfiguration"})
				}
			}
		case "AWS::ECS::TaskDefinition":
			for _, c := range r.Prop("ContainerDefinitions").Elems() {
				cname, ok := c.Get("Name").Literal()
				if !ok {
					cname = cfn.SymString(c.Get("Name"))
				}
				for _, e := range c.Get("Environment").Elems() {
					v := e.Get("Value")
					if !usesSecret(v, keyID, 0) {
						continue
					}
					ename, ok := e.Get("Name").Literal()
					if !ok {
						ename = cfn.SymString(e.Get("Name"))
					}
					out = append(out, leak{v, fmt.Sprintf("task definition %s container %s environment variable %s", r.Name(), cname, ename), "readable by anyone allowed ecs:DescribeTaskDefinition"})
				}
			}
		}
	}
	return out
}

// usesSecret reports whether a value contains the key's SecretAccessKey
// attribute: Fn::GetAtt (long or short form, list or dotted string), also
// inside Fn::Join, Fn::Sub (template text or variables) and any other
// intrinsic.
func usesSecret(n *cfn.Node, keyID string, depth int) bool {
	if n == nil || depth > 64 {
		return false
	}
	if name, arg, ok := n.Intrinsic(); ok {
		switch name {
		case "Fn::GetAtt":
			return isSecretAtt(arg, keyID)
		case "Fn::Sub":
			t := arg
			if arg.Kind == cfn.Array && len(arg.Vals) > 0 {
				t = arg.Vals[0]
			}
			if t.Kind == cfn.String && subMentions(t.Str, keyID) {
				return true
			}
		}
	}
	for _, c := range n.Vals {
		if usesSecret(c, keyID, depth+1) {
			return true
		}
	}
	return false
}

func isSecretAtt(arg *cfn.Node, keyID string) bool {
	var res, attr string
	switch {
	case arg.Kind == cfn.String:
		res, attr, _ = strings.Cut(arg.Str, ".")
	case arg.Kind == cfn.Array && len(arg.Vals) == 2:
		res, _ = arg.Vals[0].Literal()
		attr, _ = arg.Vals[1].Literal()
	}
	return res == keyID && attr == "SecretAccessKey"
}

// subMentions reports whether an Fn::Sub template references
// ${Key.SecretAccessKey} (${!…} is literal text, not a reference).
func subMentions(tmpl, keyID string) bool {
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			return false
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return false
		}
		if strings.TrimSpace(tmpl[i+2:i+j]) == keyID+".SecretAccessKey" {
			return true
		}
		tmpl = tmpl[i+j+1:]
	}
}
