// Package iam031 defines IAM031 (kms-decrypt-or-admin-all-keys).
package iam031

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/privesc"
	"github.com/iamvet/iamvet/rules/internal/scope"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `statement can decrypt with every KMS key

Envelope encryption separates who may read data from who may store it: a
principal needs kms:Decrypt on the key as well as read access to the
object, table or secret. An Allow statement granting kms:Decrypt or
kms:ReEncryptFrom (which decrypts under one key to re-encrypt under
another) on every key removes that separation for every key whose key
policy delegates to IAM, the default for keys CDK creates. "kms:*" adds key
administration (kms:PutKeyPolicy, kms:ScheduleKeyDeletion) on top. AWS's KMS
best practices ask to name the keys, or to limit the grant with
kms:ViaService (only through a given service) or kms:EncryptionContext
conditions; CDK's key.grantDecrypt(role) names the key.

Patterns are expanded with the AWS action catalogue ("kms:*",
"kms:Decrypt*", "kms:ReEncrypt*"). A kms:ViaService, kms:EncryptionContext…,
kms:ResourceAliases or resource-tag condition silences the rule; another
condition lowers the severity one step.`

// Rule is IAM031.
var Rule = rules.Register(&rules.Rule{
	Slug:     "kms-decrypt-or-admin-all-keys",
	Severity: rules.Medium,
	Since:    "v0.1.0",
	Aliases: []string{"IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS", "IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS",
		"iam_policy_no_kms_decryption_actions", "iam_policy_no_full_access_to_kms"},
	CWE:  []string{"CWE-732", "CWE-200"},
	Fix:  "Name the keys (key.grantDecrypt(role)), or add a kms:ViaService or kms:EncryptionContext condition.",
	Bad:  "role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }));",
	Good: "key.grantDecrypt(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM031",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		s := scope.Of(st)
		if s == nil {
			continue
		}
		for _, g := range s.Grants {
			if g.Full {
				continue // administrator access: IAM011/IAM012
			}
			hits := g.Hits(scope.KMSDecrypt)
			if len(hits) == 0 {
				continue
			}
			msg := fmt.Sprintf("%s allows %s on %s with no kms:ViaService, kms:EncryptionContext or resource-tag condition: it can decrypt data under every key whose key policy delegates to IAM",
				m.Where(st), g.Describe(hits), s.On(hits[0]))
			if admin := g.Hits(keyAdmin); len(admin) > 0 {
				msg += ", and administer every key (" + names(admin) + ")"
			}
			rules.Report(pass, rules.Diag{
				At:        g.Value.At,
				Statement: st,
				Evidence:  g.Value.Text,
				Severity:  s.Lower(rules.Medium),
				Related:   []rules.Related{{At: s.At(hits[0]), Message: "the resource that leaves it unconstrained"}},
				Message:   msg + s.LimitNote(),
			})
		}
	}
	return nil, nil
}

// keyAdmin are the key administration actions named when a pattern also
// grants them: rewriting the key policy and deleting the key.
func keyAdmin(a *iamdata.Action) bool {
	if a.Service != "kms" {
		return false
	}
	switch strings.ToLower(a.Name) {
	case "putkeypolicy", "schedulekeydeletion":
		return true
	}
	return false
}

func names(as []*iamdata.Action) string {
	return rules.List(privesc.FullNames(as), 2)
}
