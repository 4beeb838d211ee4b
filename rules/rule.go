// Package rules holds iamvet's rule metadata, registry and driver.
//
// Each rule is a golang.org/x/tools/go/analysis Analyzer whose Name is the
// rule id (IAM012) wrapped in a Rule that carries what go/analysis leaves to
// the driver on purpose: slug, severity, precision, Since, peer aliases.
// Rule packages live in rules/iamNNN and register themselves; the registry
// line for each is in rules/all.
//
// The driver (Run) is ours: a Pass per stack with Fset, OtherFiles, ReadFile,
// ResultOf and Report, stacks in parallel, findings sorted deterministically.
// The go/analysis checker loads Go packages and does not fit templates.
package rules

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/tools/go/analysis"
)

// Severity is iamvet's finding severity.
type Severity int

// Severities, lowest first.
const (
	Low Severity = iota + 1
	Medium
	High
	Critical
)

// Severities lists them from most to least severe.
var Severities = []Severity{Critical, High, Medium, Low}

func (s Severity) String() string {
	switch s {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	case Critical:
		return "critical"
	}
	return "none"
}

// SecuritySeverity is GitHub's security-severity score for the severity
// (INTEGRATION.md S-1; avoids the ambiguous 9.0 boundary).
func (s Severity) SecuritySeverity() string {
	switch s {
	case Critical:
		return "9.5"
	case High:
		return "8.0"
	case Medium:
		return "5.5"
	}
	return "2.0"
}

// Level is the SARIF level of the severity.
func (s Severity) Level() string {
	switch s {
	case Critical, High:
		return "error"
	case Medium:
		return "warning"
	}
	return "note"
}

// Lower returns the severity one step down (never below Low).
func (s Severity) Lower() Severity {
	if s <= Low {
		return Low
	}
	return s - 1
}

// ParseSeverity parses "low", "medium", "high", "critical" (and "none" as 0).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none":
		return 0, nil
	case "low", "note", "info":
		return Low, nil
	case "medium", "warning":
		return Medium, nil
	case "high", "error":
		return High, nil
	case "critical":
		return Critical, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want none, low, medium, high or critical)", s)
}

// Rule is an analyzer with iamvet's metadata.
type Rule struct {
	Analyzer *analysis.Analyzer
	// Slug is the kebab-case name from RULES.md ("wildcard-action").
	Slug string
	// Severity is the default severity of the rule's findings; a finding may
	// carry a different one when the rule grades it.
	Severity Severity
	// Precision is SARIF's precision: very-high, high or medium.
	Precision string
	// Since is the iamvet version that introduced the rule.
	Since string
	// Aliases are peer tool ids checking the same practice
	// (AwsSolutions-IAM5, F3, CKV_AWS_63): their suppressions apply.
	Aliases []string
	// CWE ids ("CWE-269") become SARIF tags external/cwe/cwe-NNN.
	CWE []string
	// Fix says how to fix a finding, in one or two sentences.
	Fix string
	// Bad and Good are CDK (TypeScript) snippets for the documentation.
	Bad, Good string
	// CFN is a CloudFormation (YAML) excerpt the rule flags, generated from
	// the rule's own positive fixture (rules/all/snippets_gen.go) so that
	// the documentation shows what a finding looks like in a template.
	CFN string
	// Disabled rules run only when selected explicitly.
	Disabled bool
}

// ID is the rule id (the analyzer name).
func (r *Rule) ID() string { return r.Analyzer.Name }

// Title is the first line of the analyzer's Doc.
func (r *Rule) Title() string {
	t, _, _ := strings.Cut(r.Analyzer.Doc, "\n")
	return t
}

// Text is the Doc after the title.
func (r *Rule) Text() string {
	_, rest, _ := strings.Cut(r.Analyzer.Doc, "\n")
	return strings.TrimSpace(rest)
}

// Name is the PascalCase form of the slug (SARIF rule name).
func (r *Rule) Name() string {
	var b strings.Builder
	for _, part := range strings.Split(r.Slug, "-") {
		if part == "" {
			continue
		}
		rs := []rune(part)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	return b.String()
}

// DocsBase is where rule documentation lives.
const DocsBase = "https://github.com/iamvet/iamvet/blob/main/docs/rules/"

// DocURL derives a rule's documentation URL from its id.
func DocURL(id string) string { return DocsBase + id + ".md" }

var (
	regMu    sync.Mutex
	registry = map[string]*Rule{}
)

// Register adds a rule to the registry and returns it. It panics on a
// duplicate id or slug: that is a programming error caught by every test.
func Register(r *Rule) *Rule {
	regMu.Lock()
	defer regMu.Unlock()
	id := r.Analyzer.Name
	if _, dup := registry[id]; dup {
		panic("rules: duplicate rule id " + id)
	}
	for _, o := range registry {
		if o.Slug == r.Slug {
			panic("rules: duplicate rule slug " + r.Slug)
		}
	}
	if r.Analyzer.URL == "" {
		r.Analyzer.URL = DocURL(id)
	}
	if r.Precision == "" {
		r.Precision = "high"
	}
	registry[id] = r
	return r
}

// All returns every registered rule sorted by id.
func All() []*Rule {
	regMu.Lock()
	defer regMu.Unlock()
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out
}

// Lookup returns the rule with the id (case-insensitive), or nil.
func Lookup(id string) *Rule {
	regMu.Lock()
	defer regMu.Unlock()
	return registry[strings.ToUpper(strings.TrimSpace(id))]
}

// Analyzers returns the analyzers of rules.
func Analyzers(rs []*Rule) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(rs))
	for i, r := range rs {
		out[i] = r.Analyzer
	}
	return out
}
