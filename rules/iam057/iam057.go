// Package iam057 defines IAM057 (permission-set-long-session).
package iam057

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/iamvet/iamvet/internal/cfn"
	"github.com/iamvet/iamvet/rules"
	"github.com/iamvet/iamvet/rules/internal/wildcard"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

const doc = `permission set sessions last longer than four hours

An IAM Identity Center permission set's SessionDuration (ISO-8601, PT1H by
default, up to PT12H) is how long the credentials a user gets from the
access portal or the CLI stay valid. A session token copied from a laptop,
a CI log or a shell history keeps working until it expires, whatever
happens to the user in the meantime. AWS's guidance for temporary
credentials asks for the shortest duration that fits the work; iamvet
reports sessions longer than four hours, and names privileged sets
(administrator or power-user managed policies, "*" inline grants) whose
sessions reach eight hours or more.

The rule is informational (low): long sessions are a convenience
trade-off, not an exposure by themselves.`

// Rule is IAM057.
var Rule = rules.Register(&rules.Rule{
	Slug:     "permission-set-long-session",
	Severity: rules.Low,
	Since:    "v0.1.0",
	CWE:      []string{"CWE-613"},
	Fix:      "Set sessionDuration to PT4H or less (PT1H for administrator sets); users sign in again through the access portal.",
	Bad:      "new sso.CfnPermissionSet(this, 'Admins', { instanceArn, name: 'Admins', sessionDuration: 'PT12H', managedPolicies: [adminArn] });",
	Good:     "new sso.CfnPermissionSet(this, 'Admins', { instanceArn, name: 'Admins', sessionDuration: 'PT1H', managedPolicies: [adminArn] });",
	Analyzer: &analysis.Analyzer{
		Name:     "IAM057",
		Doc:      doc,
		Requires: []*analysis.Analyzer{stackmodel.Analyzer},
		Run:      run,
	},
})

const (
	limit           = 4 * time.Hour
	privilegedLimit = 8 * time.Hour
)

func run(pass *analysis.Pass) (any, error) {
	m := stackmodel.Of(pass)
	for _, r := range m.ResourcesOfType("AWS::SSO::PermissionSet") {
		dn := r.Prop("SessionDuration")
		text, ok := dn.Literal()
		if !ok {
			continue
		}
		d, ok := parseDuration(text)
		if !ok || d <= limit {
			continue
		}
		who := "permission set " + r.Name()
		if n, ok := r.Prop("Name").Literal(); ok && n != r.Name() {
			who += " (" + n + ")"
		}
		msg := fmt.Sprintf("%s issues sessions of %s (SessionDuration %s), longer than 4 hours: a leaked session token stays valid that long", who, human(d), text)
		if d >= privilegedLimit {
			if why := privileged(m, r); why != "" {
				msg += fmt.Sprintf("; the set is privileged (%s), keep its sessions to an hour", why)
			}
		}
		rules.Report(pass, rules.Diag{At: dn, Locator: "SessionDuration", Evidence: text, Message: msg})
	}
	return nil, nil
}

// parseDuration parses the ISO-8601 durations SessionDuration accepts:
// PnDTnHnMnS with any of the parts (PT8H, PT1H30M, P1D, PT43200S).
func parseDuration(s string) (time.Duration, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return 0, false
	}
	var total time.Duration
	inTime := false
	num := ""
	for _, c := range rest {
		switch {
		case c >= '0' && c <= '9' || c == '.':
			num += string(c)
		case c == 'T':
			if inTime || num != "" {
				return 0, false
			}
			inTime = true
		default:
			if num == "" {
				return 0, false
			}
			f, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, false
			}
			num = ""
			var unit time.Duration
			switch {
			case !inTime && c == 'D':
				unit = 24 * time.Hour
			case !inTime && c == 'W':
				unit = 7 * 24 * time.Hour
			case inTime && c == 'H':
				unit = time.Hour
			case inTime && c == 'M':
				unit = time.Minute
			case inTime && c == 'S':
				unit = time.Second
			default:
				return 0, false
			}
			total += time.Duration(f * float64(unit))
		}
	}
	if num != "" {
		return 0, false
	}
	return total, true
}

func human(d time.Duration) string {
	h := d / time.Hour
	mins := (d % time.Hour) / time.Minute
	if mins == 0 {
		return fmt.Sprintf("%d hours", h)
	}
	return fmt.Sprintf("%d hours %d minutes", h, mins)
}

// adminPolicies are the AWS managed policies that make a set privileged.
var adminPolicies = []string{"AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "AWSOrganizationsFullAccess"}

// privileged says why a permission set is privileged: an administrator
// AWS managed policy, or an inline Allow of "*" or NotAction on every
// resource; "" otherwise.
func privileged(m *stackmodel.Model, r *stackmodel.Resource) string {
	for _, e := range r.Prop("ManagedPolicies").Elems() {
		t, _ := cfn.Sym(e)
		const marker = ":iam::aws:policy/"
		i := strings.Index(t, marker)
		if i < 0 {
			continue
		}
		name := t[i+len(marker):]
		base := name[strings.LastIndex(name, "/")+1:]
		for _, a := range adminPolicies {
			if base == a {
				return name
			}
		}
	}
	for _, d := range m.Documents {
		if d.LogicalID != r.LogicalID || d.Locator != "InlinePolicy" {
			continue
		}
		for _, st := range d.Statements {
			if !st.Allow() || !st.AllResources() {
				continue
			}
			if st.NotAction && len(st.Actions) > 0 {
				return "inline Allow with NotAction on every resource"
			}
			for _, a := range st.Actions {
				if wildcard.IsFull(a) {
					return `inline "*" on every resource`
				}
			}
		}
	}
	return ""
}
