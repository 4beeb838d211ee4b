package config_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/internal/config"
	"github.com/iamvet/iamvet/rules"
	_ "github.com/iamvet/iamvet/rules/all"
)

const example = `# every key
rules:
  enable: [IAM012]
  disable: [IAM002, admin-star-star]
severity:
  IAM010: high
  wildcard-action: critical
trusted-accounts:
  - "111122223333"
  - 444455556666
trusted-orgs: ["o-a1b2c3d4e5"]
ignore:
  - rule: IAM012
    constructPath: "Prod/**/Deploy*/Role/*"
    stack: "Prod/*"
    reason: the deploy role deploys every stack
  - fingerprint: "v1:0123456789abcdef0123456789abcdef"
    reason: accepted in review 412
  - constructPath: /Dev/**
    reason: dev stacks are throw-away
fail-on: high
min-severity: medium
location-mode: template
`

func TestParse(t *testing.T) {
	c, err := config.Parse(".iamvet.yaml", []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	high, medium := rules.High, rules.Medium
	want := &config.Config{
		Path:            ".iamvet.yaml",
		Enable:          []string{"IAM012"},
		Disable:         []string{"IAM002", "IAM011"},
		Severity:        map[string]rules.Severity{"IAM010": rules.High, "IAM012": rules.Critical},
		TrustedAccounts: []string{"111122223333", "444455556666"},
		TrustedOrgs:     []string{"o-a1b2c3d4e5"},
		Ignores: []config.Ignore{
			{Rule: "IAM012", ConstructPath: "Prod/**/Deploy*/Role/*", Stack: "Prod/*", Reason: "the deploy role deploys every stack", Line: 13},
			{Fingerprint: "v1:0123456789abcdef0123456789abcdef", Reason: "accepted in review 412", Line: 17},
			{ConstructPath: "Dev/**", Reason: "dev stacks are throw-away", Line: 19},
		},
		FailOn:       &high,
		MinSeverity:  &medium,
		LocationMode: "template",
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
}

func TestEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing\n", "---\n"} {
		c, err := config.Parse("x.yaml", []byte(src))
		if err != nil || c.FailOn != nil || len(c.Ignores) != 0 || c.LocationMode != "" {
			t.Errorf("%q: %+v, %v", src, c, err)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"rules:\n  enable: [IAM012]\n  rule: IAM013\n", `.iamvet.yaml:3: unknown key "rule"; known keys here: enable, disable`},
		{"fail-on: high\nfailon: high\n", `.iamvet.yaml:2: unknown key "failon"`},
		{"ignore:\n  - rule: IAM012\n    reason: x\n    rules: IAM013\n", `.iamvet.yaml:4: unknown key "rules"; known keys here: rule, constructPath, stack, fingerprint, reason`},
		{"fail-on: high\nfail-on: low\n", `.iamvet.yaml:2: duplicate key "fail-on"`},
		{"ignore:\n  - rule: IAM012\n", `.iamvet.yaml:2: ignore entry has no reason`},
		{"ignore:\n  - rule: IAM012\n    reason: \"  \"\n", `.iamvet.yaml:3: ignore.reason must not be empty`},
		{"ignore:\n  - reason: everything\n", `.iamvet.yaml:2: ignore entry needs at least one of rule`},
		{"ignore:\n  - rule: IAM999\n    reason: x\n", `.iamvet.yaml:2: ignore.rule: unknown rule "IAM999"`},
		{"ignore:\n  - stack: \"Prod/[\"\n    reason: x\n", `.iamvet.yaml:2: ignore.stack: bad glob "Prod/["`},
		{"ignore:\n  - fingerprint: abc\n    reason: x\n", `.iamvet.yaml:2: ignore.fingerprint: "abc" is not an iamvet fingerprint`},
		{"ignore: {rule: IAM012}\n", `.iamvet.yaml:1: ignore must be a list`},
		{"severity:\n  IAM010: severe\n", `.iamvet.yaml:2: severity.IAM010: "severe" is not one of low, medium, high, critical`},
		{"severity:\n  IAM010: none\n", `.iamvet.yaml:2: severity.IAM010: "none" is not one of`},
		{"severity:\n  IAM999: high\n", `.iamvet.yaml:2: severity: unknown rule "IAM999"`},
		{"severity:\n  IAM010: high\n  IAM010: low\n", `.iamvet.yaml:3: duplicate key "IAM010"`},
		{"fail-on: severe\n", `.iamvet.yaml:1: fail-on: "severe" is not one of none, low`},
		{"min-severity: none\n", `.iamvet.yaml:1: min-severity: "none" is not one of low`},
		{"location-mode: line\n", `.iamvet.yaml:1: location-mode: "line" is not one of auto, source, template, app, generated`},
		{"trusted-accounts: [12345]\n", `.iamvet.yaml:1: trusted-accounts: "12345" is not a 12-digit account id`},
		{"trusted-orgs: [org-1]\n", `.iamvet.yaml:1: trusted-orgs: "org-1" is not an AWS Organizations id`},
		{"rules:\n  enable: [IAM012]\n  disable: [wildcard-action]\n", `.iamvet.yaml:3: rules: IAM012 is both enabled and disabled`},
		{"rules:\n  enable: [IAM999]\n", `.iamvet.yaml:2: rules.enable: unknown rule "IAM999"`},
		{"rules: [IAM012]\n", `.iamvet.yaml:1: rules must be a mapping`},
		{"- a\n- b\n", `.iamvet.yaml:1: the configuration must be a mapping`},
		{"fail-on: high\n---\nfail-on: low\n", `.iamvet.yaml:2: only one YAML document is allowed`},
		{"fail-on: [high\n", `.iamvet.yaml:1: did not find expected ',' or ']'`},
		{"a: &x {fail-on: high}\n", `.iamvet.yaml:1: unknown key "a"`},
	}
	for _, tt := range tests {
		_, err := config.Parse(".iamvet.yaml", []byte(tt.src))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want prefix %q", tt.src, err, tt.want)
		}
	}
}

func TestLoadAndFind(t *testing.T) {
	dir := t.TempDir()
	if got := config.Find(dir); got != "" {
		t.Errorf("Find in an empty dir = %q", got)
	}
	yml := filepath.Join(dir, ".iamvet.yml")
	if err := os.WriteFile(yml, []byte("fail-on: critical\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := config.Find(dir); got != yml {
		t.Errorf("Find = %q, want %q", got, yml)
	}
	yaml := filepath.Join(dir, ".iamvet.yaml")
	if err := os.WriteFile(yaml, []byte("fail-on: high\nbogus: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := config.Find(dir); got != yaml {
		t.Errorf("Find = %q, want .iamvet.yaml first", got)
	}
	if _, err := config.Load(yaml); err == nil || err.Error() != yaml+`:2: unknown key "bogus"; known keys here: rules, severity, trusted-accounts, trusted-orgs, ignore, fail-on, min-severity, location-mode` {
		t.Errorf("Load: %v", err)
	}
	c, err := config.Load(yml)
	if err != nil || c.FailOn == nil || *c.FailOn != rules.Critical {
		t.Errorf("Load(.iamvet.yml) = %+v, %v", c, err)
	}
	if _, err := config.Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml: no such file") {
		t.Errorf("Load(missing) = %v", err)
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		glob, name string
		want       bool
	}{
		{"Prod/*", "Prod/Api", true},
		{"Prod/*", "Prod/Api/Role", false},
		{"Prod/**", "Prod/Api/Role/Resource", true},
		{"Prod/**", "Prod", true},
		{"**/Role/*", "Prod/Api/Role/Resource", true},
		{"**/Role/*", "Role/Resource", true},
		{"Prod/**/Deploy*/Role/*", "Prod/Pipeline/DeployProd/Role/Resource", true},
		{"Prod/**/Deploy*/Role/*", "Prod/DeployProd/Role/Resource", true},
		{"Prod/**/Deploy*/Role/*", "Dev/DeployProd/Role/Resource", false},
		{"Prod/**/Deploy*/Role/*", "Prod/DeployProd/Role/DefaultPolicy/Resource", false},
		{"*", "Prod/Api", false},
		{"**", "Prod/Api", true},
		{"Prod/Api", "Prod/Api", true},
		{"Prod/A?i", "Prod/Api", true},
		{"Prod/[AB]pi", "Prod/Api", true},
		{"Prod/**/**/Resource", "Prod/Resource", true},
	}
	for _, tt := range tests {
		if got := config.MatchGlob(tt.glob, tt.name); got != tt.want {
			t.Errorf("MatchGlob(%q, %q) = %v, want %v", tt.glob, tt.name, got, tt.want)
		}
	}
}

func TestIgnore(t *testing.T) {
	c, err := config.Parse("/repo/.iamvet.yaml", []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	iam012, iam013 := rules.Lookup("IAM012"), rules.Lookup("IAM013")
	mk := func(r *rules.Rule, stack, path, fp string) *rules.Finding {
		return &rules.Finding{Rule: r, Stack: rules.StackRef{ArtifactID: strings.ReplaceAll(stack, "/", "") + "ABC123", DisplayName: stack},
			ConstructPath: path, Fingerprint: fp}
	}
	tests := []struct {
		f    *rules.Finding
		want *rules.Suppression
	}{
		{mk(iam012, "Prod/Pipeline", "Prod/Pipeline/Tools/DeployProd/Role/Resource", "v1:ffff"),
			&rules.Suppression{Kind: "config", ID: "IAM012", Reason: "the deploy role deploys every stack", AppliesTo: []string{"constructPath:Prod/**/Deploy*/Role/*", "stack:Prod/*"}}},
		// Every selector must match: rule, construct path, stack.
		{mk(iam013, "Prod/Pipeline", "Prod/Pipeline/Tools/DeployProd/Role/Resource", "v1:ffff"), nil},
		{mk(iam012, "Prod/Pipeline", "Prod/Pipeline/Tools/Build/Role/Resource", "v1:ffff"), nil},
		{mk(iam012, "Staging/Pipeline", "Prod/Pipeline/DeployProd/Role/Resource", "v1:ffff"), nil},
		{mk(iam013, "Any", "Any/X", "v1:0123456789abcdef0123456789abcdef"),
			&rules.Suppression{Kind: "config", ID: "v1:0123456789abcdef0123456789abcdef", Reason: "accepted in review 412"}},
		{mk(iam013, "Dev", "Dev/Api/Role/Resource", "v1:ffff"),
			&rules.Suppression{Kind: "config", ID: ".iamvet.yaml:19", Reason: "dev stacks are throw-away", AppliesTo: []string{"constructPath:Dev/**"}}},
		// No construct path: a construct-path selector cannot match.
		{mk(iam013, "Dev", "", "v1:ffff"), nil},
	}
	for i, tt := range tests {
		if got := c.Ignore(tt.f); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d: Ignore = %+v, want %+v", i, got, tt.want)
		}
	}
	// The stack glob also matches the artifact id.
	c2, _ := config.Parse("c", []byte("ignore:\n  - stack: ProdPipeline*\n    reason: x\n"))
	if c2.Ignore(mk(iam012, "Prod/Pipeline", "", "")) == nil {
		t.Error("stack glob on the artifact id")
	}

	var fs []*rules.Finding
	for _, tt := range tests {
		tt.f.Suppressed = nil
		fs = append(fs, tt.f)
	}
	pre := &rules.Suppression{Kind: "cdk-nag", ID: "AwsSolutions-IAM5", Reason: "r"}
	fs[1].Suppressed = pre
	kept, suppressed := c.Apply(fs)
	if len(kept) != 3 || len(suppressed) != 4 || fs[1].Suppressed != pre {
		t.Errorf("Apply: %d kept, %d suppressed", len(kept), len(suppressed))
	}
	var nilCfg *config.Config
	if nilCfg.Ignore(fs[0]) != nil {
		t.Error("nil config ignores")
	}
}

func TestSelectAndSeverity(t *testing.T) {
	c, err := config.Parse("c", []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	all := rules.All()
	sel := c.Select(all)
	ids := map[string]bool{}
	for _, r := range sel {
		ids[r.ID()] = true
	}
	if ids["IAM002"] || ids["IAM011"] || !ids["IAM012"] || !ids["IAM010"] {
		t.Errorf("Select: %v", ids)
	}
	var disabled *rules.Rule
	for _, r := range all {
		if r.Disabled {
			disabled = r
		}
	}
	if disabled != nil {
		if ids[disabled.ID()] {
			t.Errorf("%s is disabled by default", disabled.ID())
		}
		c3, err := config.Parse("c", []byte("rules:\n  enable: ["+disabled.ID()+"]\n"))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range c3.Select(all) {
			found = found || r == disabled
		}
		if !found {
			t.Errorf("rules.enable does not turn on %s", disabled.ID())
		}
	}

	f1 := &rules.Finding{Rule: rules.Lookup("IAM010"), Severity: rules.Medium}
	f2 := &rules.Finding{Rule: rules.Lookup("IAM012"), Severity: rules.Low, CDKInternal: true}
	f3 := &rules.Finding{Rule: rules.Lookup("IAM013"), Severity: rules.Medium}
	c.ApplySeverity([]*rules.Finding{f1, f2, f3})
	if f1.Severity != rules.High || f2.Severity != rules.Low || f3.Severity != rules.Medium {
		t.Errorf("ApplySeverity: %s %s %s", f1.Severity, f2.Severity, f3.Severity)
	}
}
