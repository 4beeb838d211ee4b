// Package iam063 defines IAM063 (ec2-without-instance-profile).
package iam063

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `EC2 instance has no instance profile

An AWS::EC2::Instance without IamInstanceProfile (set directly or through
its launch template) has no role: whatever runs on it and calls AWS APIs
needs long-term access keys baked into the AMI, the user data or a
configuration file, where they leak and never rotate. AWS's IAM best
practices ask workloads to use temporary credentials through IAM roles;
for EC2 that is an instance profile, which also lets Systems Manager
manage the instance.

The rule is off by default (select it explicitly): many instances call no
AWS API at all. CDK's ec2.Instance always creates a role and an instance
profile, so it only reports L1 instances and imported launch templates
that set none.`

// Rule is IAM063.
var Rule = rules.Register(&rules.Rule{
	Slug:     "ec2-without-instance-profile",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Disabled: true,
	Aliases:  []string{"EC2InstanceProfileAttached", "f914357d-8386-4d56-9ba6-456e5723f9a6"},
	CWE:      []string{"CWE-522"},
	Fix:      "Give the instance a role (ec2.Instance creates one; pass role: to choose it) and remove access keys from the AMI and user data.",
	Bad:      "new ec2.CfnInstance(this, 'Worker', { imageId, instanceType: 't3.micro' });",
	Good:     "new ec2.Instance(this, 'Worker', { vpc, machineImage, instanceType: new ec2.InstanceType('t3.micro'), role });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM063",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.ResourcesOfType("AWS::EC2::Instance") {
		if r.Prop("IamInstanceProfile") != nil || launchTemplateProfile(m, r) {
			continue
		}
		at := r.Props
		if at == nil {
			at = r.Node.Get("Type")
		}
		rules.Report(pass, rules.Diag{
			At:       at,
			Locator:  "IamInstanceProfile",
			Evidence: "IamInstanceProfile",
			Message:  fmt.Sprintf("instance %s has no IamInstanceProfile: software on it that calls AWS needs long-term access keys instead of the role's temporary credentials", r.Name()),
		})
	}
	return nil, nil
}

// launchTemplateProfile reports whether the instance's launch template sets
// an instance profile, or may: a template outside the stack, or a template
// version that cannot be read, counts as setting one (never guess).
func launchTemplateProfile(m *stackmodel.Model, r *stackmodel.Resource) bool {
	lt := r.Prop("LaunchTemplate")
	if lt == nil {
		return false
	}
	ref := lt.Get("LaunchTemplateId")
	if ref == nil {
		ref = lt.Get("LaunchTemplateName")
	}
	text, _ := cfn.Sym(ref)
	id, ok := strings.CutPrefix(text, "${")
	if !ok || strings.Count(text, "${") != 1 || !strings.HasSuffix(id, "}") {
		return true
	}
	id = strings.TrimSuffix(id, "}")
	id, _, _ = strings.Cut(id, ".")
	t := m.Resource(id)
	if t == nil || t.Type != "AWS::EC2::LaunchTemplate" {
		return true
	}
	return t.Prop("LaunchTemplateData", "IamInstanceProfile") != nil
}
