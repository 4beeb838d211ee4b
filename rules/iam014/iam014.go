// Package iam014 defines IAM014 (partial-wildcard-action-expands-to-sensitive).
package iam014

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/privesc"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `partial wildcard action expands to sensitive actions

A wildcard inside an action name ("s3:Put*", "iam:*Policy*", "kms:ReEncrypt*")
grants every action whose name matches, including actions AWS adds later,
and the match is often wider than it reads: "s3:Put*" includes
s3:PutBucketPolicy and s3:PutBucketAcl, "iam:*Policy*" includes
iam:CreatePolicyVersion and iam:AttachRolePolicy. AWS's IAM best practices
ask for least privilege; a pattern should grant only what its author meant.

iamvet expands each pattern against its embedded catalogue of AWS actions
and grades it by the most sensitive access level it reaches. On every
resource (Resource "*", NotResource or an all-wildcard ARN, and no
condition narrowing the resources) a pattern reaching Permissions
management actions is high, one reaching Write actions medium, and one
reaching only List, Read and Tagging actions a note when it includes reads
of stored data (s3:GetObject, ssm:GetParameter,
secretsmanager:GetSecretValue: "s3:Get*" reads every object) and silent
otherwise (audit roles' "config:Get*", "iam:List*"). On named resources
only patterns reaching Permissions management actions are reported, as
medium ("s3:PutObject*" on a bucket includes s3:PutObjectAcl, which can make
its objects public); the patterns CDK's grant methods emit on the resources
they grant ("s3:GetObject*", "s3:List*", "s3:DeleteObject*", "s3:Abort*",
"kms:ReEncrypt*", "kms:GenerateDataKey*") stay silent. The few
Get/List/Describe actions the reference classes as Permissions management
(glue:GetStage) count as Read.

The message names how many actions the pattern matches and up to three of
the most sensitive (escalation primitives, credential-issuing and
data-reading actions first). "*" and "svc:*" are IAM011, IAM012 and
IAM013's; a pattern matching no action is IAM058's.`

// Rule is IAM014.
var Rule = rules.Register(&rules.Rule{
	Slug:     "partial-wildcard-action-expands-to-sensitive",
	Severity: rules.Low,
	Since:    "v0.1.0",
	Aliases:  []string{"AwsSolutions-IAM5"},
	CWE:      []string{"CWE-732"},
	Fix:      "Replace the pattern with the actions the principal calls (s3:PutObject instead of s3:Put*); CDK grant* methods list them for you.",
	Bad:      "role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:Put*'], resources: ['*'] }));",
	Good:     "bucket.grantPut(role);",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM014",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

// grade is the access level a pattern reaches, least to most sensitive.
type grade int

const (
	readOnly grade = iota // List, Read, Tagging
	write
	permissions
)

func gradeOf(l iamdata.AccessLevel) grade {
	switch l {
	case iamdata.PermissionsManagement:
		return permissions
	case iamdata.Write:
		return write
	}
	return readOnly
}

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, st := range m.Statements(iampolicy.Identity) {
		if privesc.Skipped(st.Doc) || !st.Allow() || st.NotAction {
			continue
		}
		all := privesc.Unconstrained(st)
		for _, v := range st.Actions {
			if !partial(v) {
				continue
			}
			expanded := iamdata.ExpandShared(strings.TrimSpace(v.Text))
			if len(expanded) == 0 {
				continue // IAM058: matches nothing
			}
			top := readOnly
			for _, a := range expanded {
				if g := gradeOf(privesc.Level(a)); g > top {
					top = g
				}
			}
			var sev rules.Severity
			switch {
			case all && top == permissions:
				sev = rules.High
			case all && top == write, !all && top == permissions:
				sev = rules.Medium
			case all && dataReads(expanded) != nil:
				sev = rules.Low
			default:
				// Metadata reads on every resource (audit roles' "config:Get*"),
				// and reads or writes on named resources (what CDK grants emit).
				continue
			}
			var sensitive []*iamdata.Action
			if top == readOnly {
				sensitive = dataReads(expanded)
			} else {
				for _, a := range expanded {
					if gradeOf(privesc.Level(a)) == top {
						sensitive = append(sensitive, a)
					}
				}
			}
			privesc.SortForExamples(sensitive)
			on := "its resources"
			if all {
				on = privesc.OnWhat(st)
			}
			rules.Report(pass, rules.Diag{
				At: v.At, Statement: st, Evidence: v.Text, Severity: sev,
				Message: fmt.Sprintf("%s allows %q on %s, which expands to %d %s%s",
					m.Where(st), v.Text, on, len(expanded), plural(len(expanded), "action"), detail(top, sensitive)),
			})
		}
	}
	return nil, nil
}

// partial reports whether v is a known action pattern with a wildcard that
// is neither every action ("*") nor a whole service ("s3:*").
func partial(v iampolicy.Value) bool {
	return v.Known && strings.ContainsAny(v.Text, "*?") && !privesc.IsFull(v) && !privesc.IsServiceWide(v)
}

func detail(top grade, sensitive []*iamdata.Action) string {
	names := rules.List(privesc.FullNames(sensitive), 3)
	switch top {
	case permissions:
		return fmt.Sprintf(", %d of them Permissions management (%s)", len(sensitive), names)
	case write:
		return fmt.Sprintf(", %d of them Write (%s)", len(sensitive), names)
	}
	verb := "reads"
	if len(sensitive) > 1 {
		verb = "read"
	}
	return fmt.Sprintf(", all List, Read or Tagging, including %s, which %s stored data", names, verb)
}

// dataReads returns the actions of as that read stored data
// (Cloudsplaining's data-exfiltration reads: s3:GetObject,
// ssm:GetParameter*, secretsmanager:GetSecretValue).
func dataReads(as []*iamdata.Action) []*iamdata.Action {
	var out []*iamdata.Action
	for _, a := range as {
		if privesc.Rank(a.FullName()) == 2 {
			out = append(out, a)
		}
	}
	return out
}

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}
