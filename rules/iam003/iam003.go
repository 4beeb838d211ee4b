// Package iam003 defines IAM003 (user-console-password-inline).
package iam003

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `iam user console password is written in the template

An AWS::IAM::User LoginProfile.Password that is a literal string (or an
Fn::Join or Fn::Sub of literals) is stored in plain text in cdk.out, in the
repository that commits it, in the template CloudFormation keeps and shows
(GetTemplate) and in the S3 bucket CDK uploads templates to. Anyone who can
read any of them can sign in to the console as the user. AWS's IAM best
practices ask to protect credentials and rotate them; a password that lives
in source control cannot be rotated away.

The rule accepts a dynamic reference to Secrets Manager
({{resolve:secretsmanager:…}}, what CDK writes for secret.secretValue) or
to a SecureString parameter ({{resolve:ssm-secure:…}}), and a Ref to a
template parameter with NoEcho and no Default. It reports, at lower
severity, a Ref to a parameter without NoEcho (DescribeStacks and the
console show its value) and a {{resolve:ssm:…}} reference to a plain String
parameter. The password itself is never repeated in the finding. Values it
cannot resolve (an import, a custom resource attribute) are left alone.`

// Rule is IAM003.
var Rule = rules.Register(&rules.Rule{
	Slug:     "user-console-password-inline",
	Severity: rules.High,
	Since:    "v0.1.0",
	Aliases:  []string{"F51", "06adef8c-c284-4de7-aad2-af43b07a8ca1", "IAM_USER_LOGIN_PROFILE_NO_PLAINTEXT_PASSWORD"},
	CWE:      []string{"CWE-798", "CWE-260"},
	Fix:      "Generate the password in Secrets Manager and pass secret.secretValue (a dynamic reference), or better, have people sign in through IAM Identity Center instead of IAM users.",
	Bad:      "new iam.User(this, 'Alice', { password: SecretValue.unsafePlainText('Welcome-2024!'), passwordResetRequired: true });",
	Good:     "const pw = new secretsmanager.Secret(this, 'AlicePassword'); new iam.User(this, 'Alice', { password: pw.secretValue, passwordResetRequired: true });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM003",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	params := m.Template.Root.Get("Parameters")
	for _, u := range m.ResourcesOfType("AWS::IAM::User") {
		for _, lp := range cfn.Branches(u.Prop("LoginProfile")) {
			for _, pw := range cfn.Branches(lp.Get("Password")) {
				check(pass, u, pw, params)
			}
		}
	}
	return nil, nil
}

const (
	secretsManagerRef = "{{resolve:secretsmanager:"
	ssmSecureRef      = "{{resolve:ssm-secure:"
	ssmPlainRef       = "{{resolve:ssm:"
)

func check(pass *analysis.Pass, u *stackmodel.Resource, pw *cfn.Node, params *cfn.Node) {
	who := "user " + u.Name()
	if name, arg, ok := pw.Intrinsic(); ok && name == "Ref" {
		id, _ := arg.Literal()
		p := params.Get(id)
		if p == nil {
			return // a pseudo parameter or a resource: not a password we can judge
		}
		noEcho := truthy(p.Get("NoEcho"))
		def := p.Get("Default")
		switch {
		case def != nil:
			report(pass, pw, rules.High, "Ref "+id,
				fmt.Sprintf("%s takes its console password (LoginProfile.Password) from parameter %s, whose Default value is written in plain text in the template: remove the Default and pass the value at deploy time, or use a Secrets Manager dynamic reference", who, id),
				rules.Related{At: def, Message: "Default of parameter " + id})
		case !noEcho:
			report(pass, pw, rules.Medium, "Ref "+id,
				fmt.Sprintf("%s takes its console password (LoginProfile.Password) from parameter %s, which is not NoEcho: DescribeStacks and the CloudFormation console show its value; set NoEcho or use a Secrets Manager dynamic reference", who, id),
				rules.Related{At: p, Message: "parameter " + id})
		}
		return
	}
	text, known := cfn.Sym(pw)
	switch {
	case strings.Contains(text, secretsManagerRef), strings.Contains(text, ssmSecureRef):
		return
	case strings.Contains(text, ssmPlainRef):
		report(pass, pw, rules.Medium, "ssm",
			fmt.Sprintf("%s takes its console password (LoginProfile.Password) from a plain String SSM parameter ({{resolve:ssm:…}}): it is stored unencrypted and readable by anyone allowed ssm:GetParameter; use {{resolve:ssm-secure:…}} or Secrets Manager", who))
	case known && text != "":
		what := "a plain-text literal"
		if pw.Kind != cfn.String {
			what = "built from plain-text literals"
		}
		report(pass, pw, rules.High, "literal",
			fmt.Sprintf("%s's console password (LoginProfile.Password) is %s in the template: anyone who can read cdk.out, the repository or the deployed template can sign in as the user; use a Secrets Manager dynamic reference (secret.secretValue)", who, what))
	}
}

func report(pass *analysis.Pass, at *cfn.Node, sev rules.Severity, evidence, msg string, related ...rules.Related) {
	rules.Report(pass, rules.Diag{
		At:       at,
		Message:  msg,
		Severity: sev,
		Locator:  "LoginProfile.Password",
		Evidence: evidence,
		Related:  related,
	})
}

// truthy reads a CloudFormation boolean: true or "true" in any case.
func truthy(n *cfn.Node) bool {
	s, ok := n.Literal()
	return ok && strings.EqualFold(s, "true")
}
