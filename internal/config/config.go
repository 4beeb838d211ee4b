// Package config reads iamvet's configuration file, .iamvet.yaml (or
// .iamvet.yml) at the repository root or the file given with --config.
//
// Every key is optional; an unknown key, a duplicate key or a value of the
// wrong shape is an error naming the file and line
// (.iamvet.yaml:7: unknown key "rule"; known keys here: …).
//
//	# .iamvet.yaml
//	rules:
//	  enable: [IAM063]              # rule ids or slugs; turns on rules that are off by default
//	  disable: [IAM002, iam-user-defined]
//	severity:                       # per-rule severity: low, medium, high, critical
//	  IAM010: high
//	trusted-accounts:               # accounts the rules treat as your own (12 digits; quote them)
//	  - "111122223333"
//	trusted-orgs: ["o-a1b2c3d4e5"]  # AWS Organizations ids
//	ignore:                         # each entry needs a reason and at least one selector
//	  - rule: IAM012                # rule id or slug
//	    constructPath: "Prod/**/Deploy*/Role/*"  # glob, path.Match per segment; ** spans segments
//	    stack: "Prod/*"             # glob on the stack display name or artifact id
//	    reason: the deploy role deploys every stack
//	  - fingerprint: "v1:0123456789abcdef0123456789abcdef"
//	    reason: accepted in review #412
//	fail-on: high                   # none, low, medium, high, critical
//	min-severity: low               # low, medium, high, critical
//	location-mode: auto             # auto, source, template, app, generated
//
// An ignore entry hides the findings that match every selector it names
// (rule, constructPath, stack, fingerprint); the hidden findings carry a
// rules.Suppression of kind "config" and are still counted. Command-line
// flags override fail-on, min-severity and location-mode.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/iamvet/iamvet/rules"
)

// Config is a parsed configuration file.
type Config struct {
	// Path is the file as given to Load.
	Path string
	// Enable and Disable are rule ids (slugs resolved).
	Enable, Disable []string
	// Severity overrides the severity of a rule's findings, by rule id.
	Severity map[string]rules.Severity
	// TrustedAccounts are 12-digit account ids, TrustedOrgs AWS
	// Organizations ids (o-…).
	TrustedAccounts []string
	TrustedOrgs     []string
	Ignores         []Ignore
	// FailOn and MinSeverity are nil when the file does not set them.
	FailOn      *rules.Severity
	MinSeverity *rules.Severity
	// LocationMode is "" when the file does not set it.
	LocationMode string
}

// Ignore is one ignore entry. Empty selectors match anything.
type Ignore struct {
	Rule          string // rule id
	ConstructPath string // glob
	Stack         string // glob
	Fingerprint   string
	Reason        string
	Line          int
}

// FileNames are the names Find looks for, in order.
var FileNames = []string{".iamvet.yaml", ".iamvet.yml"}

// Find returns the configuration file at the repository root, or "".
func Find(repoRoot string) string {
	for _, name := range FileNames {
		p := filepath.Join(repoRoot, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// Load reads and validates a configuration file.
func Load(path string) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return Parse(path, src)
}

// Parse validates a configuration file's content; path names it in errors.
func Parse(path string, src []byte) (*Config, error) {
	p := &parser{path: path, cfg: &Config{Path: path, Severity: map[string]rules.Severity{}}}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return p.cfg, nil // an empty file
		}
		return nil, p.yamlErr(err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, p.errf(&next, "only one YAML document is allowed")
	} else if !errors.Is(err, io.EOF) {
		return nil, p.yamlErr(err)
	}
	if len(doc.Content) == 0 {
		return p.cfg, nil
	}
	if err := p.top(deref(doc.Content[0])); err != nil {
		return nil, err
	}
	return p.cfg, nil
}

type parser struct {
	path string
	cfg  *Config
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	if line == 0 {
		return fmt.Errorf("%s: %s", p.path, fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("%s:%d: %s", p.path, line, fmt.Sprintf(format, args...))
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (p *parser) yamlErr(err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s:%s: %s", p.path, m[1], m[2])
	}
	return fmt.Errorf("%s: %s", p.path, strings.TrimPrefix(msg, "yaml: "))
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// fields walks a mapping: every key must be known and appear once.
func (p *parser) fields(n *yaml.Node, what string, known []string, each func(key string, k, v *yaml.Node) error) error {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return p.errf(n, "%s must be a mapping", what)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return p.errf(k, "%s: keys must be strings", what)
		}
		if k.Value == "<<" {
			return p.errf(k, "merge keys (<<) are not supported")
		}
		if !slices.Contains(known, k.Value) {
			return p.errf(k, "unknown key %q; known keys here: %s", k.Value, strings.Join(known, ", "))
		}
		if seen[k.Value] {
			return p.errf(k, "duplicate key %q", k.Value)
		}
		seen[k.Value] = true
		if err := each(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) scalar(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return "", p.errf(n, "%s must be a string", key)
	}
	return n.Value, nil
}

// list accepts a sequence of scalars or a single scalar.
func (p *parser) list(n *yaml.Node, key string) ([]*yaml.Node, error) {
	switch {
	case isNull(n):
		return nil, nil
	case n.Kind == yaml.ScalarNode:
		return []*yaml.Node{n}, nil
	case n.Kind != yaml.SequenceNode:
		return nil, p.errf(n, "%s must be a list", key)
	}
	var out []*yaml.Node
	for _, e := range n.Content {
		e = deref(e)
		if e.Kind != yaml.ScalarNode || isNull(e) {
			return nil, p.errf(e, "%s: entries must be strings", key)
		}
		out = append(out, e)
	}
	return out, nil
}

var topKeys = []string{"rules", "severity", "trusted-accounts", "trusted-orgs", "ignore", "fail-on", "min-severity", "location-mode"}

var (
	accountRe     = regexp.MustCompile(`^[0-9]{12}$`)
	orgRe         = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	fingerprintRe = regexp.MustCompile(`^v1:[0-9a-f]{32}$`)
)

// LocationModes are the values of location-mode (INTEGRATION.md S-3).
var LocationModes = []string{"auto", "source", "template", "app", "generated"}

func (p *parser) top(n *yaml.Node) error {
	c := p.cfg
	if n.Kind != yaml.MappingNode && !isNull(n) {
		return p.errf(n, "the configuration must be a mapping of keys (%s)", strings.Join(topKeys, ", "))
	}
	return p.fields(n, "the configuration", topKeys, func(key string, k, v *yaml.Node) error {
		switch key {
		case "rules":
			return p.rules(v)
		case "severity":
			return p.severity(v)
		case "trusted-accounts":
			vals, err := p.list(v, key)
			for _, e := range vals {
				if !accountRe.MatchString(e.Value) {
					return p.errf(e, "trusted-accounts: %q is not a 12-digit account id (quote ids that start with 0)", e.Value)
				}
				c.TrustedAccounts = append(c.TrustedAccounts, e.Value)
			}
			return err
		case "trusted-orgs":
			vals, err := p.list(v, key)
			for _, e := range vals {
				if !orgRe.MatchString(e.Value) {
					return p.errf(e, "trusted-orgs: %q is not an AWS Organizations id (o-…)", e.Value)
				}
				c.TrustedOrgs = append(c.TrustedOrgs, e.Value)
			}
			return err
		case "ignore":
			return p.ignores(v)
		case "fail-on", "min-severity":
			s, err := p.scalar(v, key)
			if err != nil {
				return err
			}
			sev, err := parseSeverity(s, key == "fail-on")
			if err != nil {
				return p.errf(v, "%s: %v", key, err)
			}
			if key == "fail-on" {
				c.FailOn = &sev
			} else {
				c.MinSeverity = &sev
			}
		case "location-mode":
			s, err := p.scalar(v, key)
			if err != nil {
				return err
			}
			if !slices.Contains(LocationModes, s) {
				return p.errf(v, "location-mode: %q is not one of %s", s, strings.Join(LocationModes, ", "))
			}
			c.LocationMode = s
		}
		return nil
	})
}

// parseSeverity accepts low, medium, high, critical (and none for fail-on).
func parseSeverity(s string, allowNone bool) (rules.Severity, error) {
	switch s {
	case "low":
		return rules.Low, nil
	case "medium":
		return rules.Medium, nil
	case "high":
		return rules.High, nil
	case "critical":
		return rules.Critical, nil
	case "none":
		if allowNone {
			return 0, nil
		}
	}
	if allowNone {
		return 0, fmt.Errorf("%q is not one of none, low, medium, high, critical", s)
	}
	return 0, fmt.Errorf("%q is not one of low, medium, high, critical", s)
}

// ruleRef resolves a rule id or slug.
func (p *parser) ruleRef(n *yaml.Node, key string) (string, error) {
	if r := lookupRule(n.Value); r != nil {
		return r.ID(), nil
	}
	return "", p.errf(n, "%s: unknown rule %q (see iamvet rules)", key, n.Value)
}

func lookupRule(id string) *rules.Rule {
	id = strings.TrimSpace(id)
	if r := rules.Lookup(id); r != nil {
		return r
	}
	for _, r := range rules.All() {
		if strings.EqualFold(r.Slug, id) {
			return r
		}
	}
	return nil
}

func (p *parser) rules(n *yaml.Node) error {
	c := p.cfg
	return p.fields(n, "rules", []string{"enable", "disable"}, func(key string, k, v *yaml.Node) error {
		vals, err := p.list(v, "rules."+key)
		if err != nil {
			return err
		}
		for _, e := range vals {
			id, err := p.ruleRef(e, "rules."+key)
			if err != nil {
				return err
			}
			if key == "enable" {
				c.Enable = append(c.Enable, id)
			} else {
				c.Disable = append(c.Disable, id)
			}
			if slices.Contains(c.Enable, id) && slices.Contains(c.Disable, id) {
				return p.errf(e, "rules: %s is both enabled and disabled", id)
			}
		}
		return nil
	})
}

func (p *parser) ignores(n *yaml.Node) error {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return p.errf(n, "ignore must be a list of entries")
	}
	known := []string{"rule", "constructPath", "stack", "fingerprint", "reason"}
	for _, e := range n.Content {
		e = deref(e)
		if e.Kind != yaml.MappingNode {
			return p.errf(e, "ignore: each entry must be a mapping (%s)", strings.Join(known, ", "))
		}
		ig := Ignore{Line: e.Line}
		err := p.fields(e, "ignore entry", known, func(key string, k, v *yaml.Node) error {
			s, err := p.scalar(v, key)
			if err != nil {
				return err
			}
			switch key {
			case "rule":
				ig.Rule, err = p.ruleRef(v, "ignore.rule")
			case "constructPath", "stack":
				s = strings.TrimPrefix(s, "/")
				if !validGlob(s) {
					return p.errf(v, "ignore.%s: bad glob %q", key, s)
				}
				if key == "stack" {
					ig.Stack = s
				} else {
					ig.ConstructPath = s
				}
			case "fingerprint":
				if !fingerprintRe.MatchString(s) {
					return p.errf(v, "ignore.fingerprint: %q is not an iamvet fingerprint (v1: and 32 hex digits)", s)
				}
				ig.Fingerprint = s
			case "reason":
				if strings.TrimSpace(s) == "" {
					return p.errf(v, "ignore.reason must not be empty")
				}
				ig.Reason = s
			}
			return err
		})
		if err != nil {
			return err
		}
		if ig.Reason == "" {
			return p.errf(e, "ignore entry has no reason: every ignore needs one")
		}
		if ig.Rule == "" && ig.ConstructPath == "" && ig.Stack == "" && ig.Fingerprint == "" {
			return p.errf(e, "ignore entry needs at least one of rule, constructPath, stack, fingerprint")
		}
		p.cfg.Ignores = append(p.cfg.Ignores, ig)
	}
	return nil
}

func (p *parser) severity(n *yaml.Node) error {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return p.errf(n, "severity must be a mapping of rule ids to severities")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return p.errf(k, "severity: keys must be rule ids")
		}
		id, err := p.ruleRef(k, "severity")
		if err != nil {
			return err
		}
		if _, dup := p.cfg.Severity[id]; dup {
			return p.errf(k, "duplicate key %q", k.Value)
		}
		s, err := p.scalar(v, "severity."+k.Value)
		if err != nil {
			return err
		}
		sev, err := parseSeverity(s, false)
		if err != nil {
			return p.errf(v, "severity.%s: %v", k.Value, err)
		}
		p.cfg.Severity[id] = sev
	}
	return nil
}

// validGlob reports whether every segment of a glob is a valid path.Match
// pattern ("**" spans segments).
func validGlob(g string) bool {
	for _, seg := range strings.Split(g, "/") {
		if seg == "**" {
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			return false
		}
	}
	return true
}

// MatchGlob matches a slash-separated name against a glob: each segment with
// path.Match semantics ("*" does not cross "/"), and a "**" segment matching
// any number of segments, none included.
func MatchGlob(glob, name string) bool {
	return matchSegs(strings.Split(glob, "/"), strings.Split(name, "/"))
}

func matchSegs(g, n []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for len(g) > 0 && g[0] == "**" {
				g = g[1:]
			}
			if len(g) == 0 {
				return true
			}
			for i := 0; i <= len(n); i++ {
				if matchSegs(g, n[i:]) {
					return true
				}
			}
			return false
		}
		if len(n) == 0 {
			return false
		}
		if ok, err := path.Match(g[0], n[0]); err != nil || !ok {
			return false
		}
		g, n = g[1:], n[1:]
	}
	return len(n) == 0
}

// Ignore returns the suppression of the first ignore entry matching f, or
// nil. ID is the entry's rule, else its fingerprint, else file:line.
func (c *Config) Ignore(f *rules.Finding) *rules.Suppression {
	if c == nil {
		return nil
	}
	for _, ig := range c.Ignores {
		if !ig.matches(f) {
			continue
		}
		s := &rules.Suppression{Kind: "config", Reason: ig.Reason}
		switch {
		case ig.Rule != "":
			s.ID = ig.Rule
		case ig.Fingerprint != "":
			s.ID = ig.Fingerprint
		default:
			s.ID = filepath.Base(c.Path) + ":" + strconv.Itoa(ig.Line)
		}
		if ig.ConstructPath != "" {
			s.AppliesTo = append(s.AppliesTo, "constructPath:"+ig.ConstructPath)
		}
		if ig.Stack != "" {
			s.AppliesTo = append(s.AppliesTo, "stack:"+ig.Stack)
		}
		if ig.Fingerprint != "" && s.ID != ig.Fingerprint {
			s.AppliesTo = append(s.AppliesTo, "fingerprint:"+ig.Fingerprint)
		}
		return s
	}
	return nil
}

func (ig *Ignore) matches(f *rules.Finding) bool {
	if ig.Rule != "" && (f.Rule == nil || f.Rule.ID() != ig.Rule) {
		return false
	}
	if ig.Fingerprint != "" && f.Fingerprint != ig.Fingerprint {
		return false
	}
	if ig.ConstructPath != "" && (f.ConstructPath == "" || !MatchGlob(ig.ConstructPath, strings.TrimPrefix(f.ConstructPath, "/"))) {
		return false
	}
	if ig.Stack != "" && !MatchGlob(ig.Stack, f.Stack.DisplayName) && !MatchGlob(ig.Stack, f.Stack.ArtifactID) {
		return false
	}
	return true
}

// Apply sets Suppressed on the findings an ignore entry matches (unless
// already suppressed) and splits them: kept in order, and suppressed.
func (c *Config) Apply(fs []*rules.Finding) (kept, suppressed []*rules.Finding) {
	for _, f := range fs {
		if f.Suppressed == nil {
			f.Suppressed = c.Ignore(f)
		}
		if f.Suppressed != nil {
			suppressed = append(suppressed, f)
		} else {
			kept = append(kept, f)
		}
	}
	return kept, suppressed
}

// Select returns the rules that run by default under this configuration:
// the rules not Disabled, plus rules.enable, minus rules.disable (sorted
// as given). Command-line --rules/--skip-rules apply on top.
func (c *Config) Select(all []*rules.Rule) []*rules.Rule {
	var out []*rules.Rule
	for _, r := range all {
		on := !r.Disabled
		if c != nil && slices.Contains(c.Enable, r.ID()) {
			on = true
		}
		if c != nil && slices.Contains(c.Disable, r.ID()) {
			on = false
		}
		if on {
			out = append(out, r)
		}
	}
	return out
}

// ApplySeverity sets the configured severity on the findings of overridden
// rules. Findings on CDK-internal constructs keep their reduced severity.
func (c *Config) ApplySeverity(fs []*rules.Finding) {
	if c == nil || len(c.Severity) == 0 {
		return
	}
	for _, f := range fs {
		if sev, ok := c.Severity[f.Rule.ID()]; ok && !f.CDKInternal {
			f.Severity = sev
		}
	}
}
