// Package iam002 defines IAM002 (iam-user-defined).
package iam002

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `stack defines an iam user

AWS's IAM best practices ask humans to sign in through federation with an
identity provider (IAM Identity Center or your own IdP) and workloads to use
IAM roles, so that both work with temporary credentials. An IAM user carries
long-term credentials instead: a console password, access keys, or both,
which must be rotated, protected with MFA and removed when people leave.

The finding names what the stack gives the user: a console password
(LoginProfile) and the AWS::IAM::AccessKey resources created for it.`

// Rule is IAM002.
var Rule = rules.Register(&rules.Rule{
	Slug:     "iam-user-defined",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_273"},
	CWE:      []string{"CWE-798"},
	Fix:      "Have people sign in through IAM Identity Center (or your IdP) and give workloads roles; CI systems outside AWS can assume a role through OIDC federation.",
	Bad:      "new iam.User(this, 'CiDeployer', { userName: 'ci-deployer' });",
	Good:     "new iam.Role(this, 'CiDeployRole', { assumedBy: new iam.WebIdentityPrincipal(provider.openIdConnectProviderArn, conditions) });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM002",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	keys := m.ResourcesOfType("AWS::IAM::AccessKey")
	for _, u := range m.ResourcesOfType("AWS::IAM::User") {
		login := u.Prop("LoginProfile")
		hasLogin := login != nil && login.Kind != cfn.Null
		var keyNames []string
		var related []rules.Related
		for _, k := range keys {
			if keyOf(u, k.Prop("UserName")) {
				keyNames = append(keyNames, k.Name())
				related = append(related, rules.Related{At: k.Prop("UserName"), Message: "access key " + k.Name()})
			}
		}
		if hasLogin {
			related = append(related, rules.Related{At: login, Message: "console password (LoginProfile)"})
		}
		var msg string
		sev := rules.Medium
		keyWord := "a long-lived access key"
		if len(keyNames) > 1 {
			keyWord = "long-lived access keys"
		}
		keyList := strings.Join(keyNames, ", ")
		switch {
		case hasLogin && len(keyNames) > 0:
			msg = fmt.Sprintf("user %s is an IAM user with a console password and %s (%s): have people sign in through IAM Identity Center (federation) and give workloads roles", u.Name(), keyWord, keyList)
		case hasLogin:
			msg = fmt.Sprintf("user %s is an IAM user with a console password: have people sign in through IAM Identity Center or your identity provider (federation) instead", u.Name())
		case len(keyNames) > 0:
			msg = fmt.Sprintf("user %s is an IAM user with %s (%s): use a role with temporary credentials instead (OIDC federation for CI, Lambda/ECS/EC2 roles for workloads)", u.Name(), keyWord, keyList)
		default:
			msg = fmt.Sprintf("user %s is an IAM user (no console password or access key in this stack): prefer IAM Identity Center for people and roles for workloads", u.Name())
			// Without credentials in the stack the user may be a container
			// for federated or managed access: informational.
			sev = rules.Low
		}
		at := u.Prop("UserName")
		if at == nil {
			at = u.Node.Get("Type")
		}
		rules.Report(pass, rules.Diag{
			At:       at,
			Message:  msg,
			Severity: sev,
			Locator:  "User",
			Evidence: "AWS::IAM::User",
			Related:  related,
		})
	}
	return nil, nil
}

// keyOf reports whether an access key's UserName names the user: a Ref to
// its logical ID or its literal UserName.
func keyOf(u *stackmodel.Resource, n *cfn.Node) bool {
	if name, arg, ok := n.Intrinsic(); ok && name == "Ref" {
		id, _ := arg.Literal()
		return id == u.LogicalID
	}
	if s, ok := n.Literal(); ok {
		un, ok := u.Prop("UserName").Literal()
		return ok && un == s
	}
	return false
}
