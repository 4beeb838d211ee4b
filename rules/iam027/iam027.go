// Package iam027 defines IAM027 (credentials-exposure).
package iam027

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/privesc"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `action returning credentials allowed on every resource

Some actions return credentials in their response: iam:CreateAccessKey and
iam:CreateServiceSpecificCredential create keys and passwords for any user,
sts:GetFederationToken issues temporary credentials,
redshift:GetClusterCredentials and redshift-serverless:GetCredentials issue
database passwords, rds-db:connect lets the caller sign in as any database
user, lightsail:GetInstanceAccessDetails returns SSH keys. Allowed on every
resource, they hand the holder the identity of other users, databases and
instances. AWS's IAM best practices ask for least privilege and for
temporary credentials over long-term ones.

The list is Cloudsplaining's and Parliament's credentials-exposure list,
with these exceptions: ecr:GetAuthorizationToken is not reported, because
its token only lets the caller use the registries its own ECR permissions
allow, the action accepts no resource but "*", and CDK grants it to every
role that pulls an image (checkov's CKV_AWS_107 made the same exclusion
after bridgecrewio/checkov#1815); sts:AssumeRole is IAM030's;
sts:GetSessionToken returns credentials for the caller only;
sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity and Cognito
GetOpenIdToken/GetCredentialsForIdentity are called without AWS credentials,
so identity policies do not govern them; iam:UpdateAccessKey returns no
credentials.

A statement is unconstrained when it names every resource (Resource "*",
NotResource, or an all-wildcard ARN such as
"arn:aws:iam::123456789012:user/*") and no condition narrows the resources;
MFA, region, network and time conditions do not. Values IAM025 reports
(iam:CreateAccessKey and iam:CreateLoginProfile are also privilege
escalation), "*" (IAM011) and service-wide wildcards (IAM013) are not
reported again.`

// Rule is IAM027.
var Rule = rules.Register(&rules.Rule{
	Slug:     "credentials-exposure",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases:  []string{"CKV_AWS_107", "CKV_AWS_287"},
	CWE:      []string{"CWE-522", "CWE-269"},
	Fix:      "Scope credential-issuing actions to the users, database users or clusters the principal owns (redshift dbuser ARNs, iam user ARNs), not \"*\".",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['redshift:GetClusterCredentials'], resources: ['*'] }));",
	Good:     "role.addToPolicy(new iam.PolicyStatement({ actions: ['redshift:GetClusterCredentials'], resources: [`arn:aws:redshift:${region}:${account}:dbuser:${cluster}/app`] }));",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM027",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer, privesc.Analyzer},
		Run:      run,
	},
})

func credentials(a *iamdata.Action) bool { return privesc.IsCredentialAction(a.FullName()) }

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, g := range privesc.Grants(m, privesc.Of(pass), credentials) {
		st, v := g.Statement, g.Value
		on := privesc.OnWhat(st)
		var msg string
		if len(g.Actions) == 1 && strings.EqualFold(g.Actions[0].FullName(), strings.TrimSpace(v.Text)) {
			msg = fmt.Sprintf("%s allows %q on %s: the action returns credentials, so the holder can act as other identities", m.Where(st), v.Text, on)
		} else {
			what := "action"
			if len(g.Actions) > 1 {
				what = "actions"
			}
			msg = fmt.Sprintf("%s allows %q on %s, which covers %d %s returning credentials (%s): the holder can act as other identities",
				m.Where(st), v.Text, on, len(g.Actions), what, rules.List(privesc.FullNames(g.Actions), 3))
		}
		sev := rules.Medium
		if g.Mitigation != "" {
			sev = rules.Low
			msg += "; " + g.Mitigation
		}
		rules.Report(pass, rules.Diag{At: v.At, Statement: st, Evidence: v.Text, Severity: sev, Message: msg})
	}
	return nil, nil
}
