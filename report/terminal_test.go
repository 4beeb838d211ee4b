package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/fatih/color"
)

func terminal(t *testing.T, in *Input, opt TerminalOptions) string {
	t.Helper()
	return string(write(t, func(b *bytes.Buffer) error { return WriteTerminal(b, in, opt) }))
}

func TestTerminalGolden(t *testing.T) {
	got := terminal(t, fixture(), TerminalOptions{})
	golden(t, "terminal.golden", []byte(got))
	if strings.Contains(got, "\x1b[") {
		t.Error("escape codes without Color")
	}
	if strings.Contains(got, "LogRetention") {
		t.Error("CDK-internal finding shown by default")
	}
	for _, want := range []string{
		"1 finding on CDK-internal constructs hidden; show them with --show-internal",
		"5 findings (1 critical, 2 high, 1 medium, 1 low) in 4 stacks; 1 suppressed; exit 1: 3 findings at or above high",
		"app/cdk.out/ApiStack.template.json:118:21",
		"note: no construct traces",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(got, "fix:") {
		t.Error("fix line without Verbose")
	}
	if strings.Contains(got, "AdminRole") {
		t.Error("suppressed finding listed without IncludeSuppressed")
	}
	// Grouping: the ApiStack construct with two findings is one group.
	if n := strings.Count(got, "ApiStack/Handler/ServiceRole/DefaultPolicy/Resource"); n != 1 {
		t.Errorf("construct header printed %d times", n)
	}
}

func TestTerminalColor(t *testing.T) {
	// The writer's colours must not depend on fatih/color's global switch.
	saved := color.NoColor
	defer func() { color.NoColor = saved }()

	color.NoColor = true
	got := terminal(t, fixture(), TerminalOptions{Color: true})
	golden(t, "terminal_color.golden", []byte(got))
	for _, want := range []string{
		"\x1b[35;1mcritical\x1b[0;22m", // critical: bold magenta
		"\x1b[31mhigh    \x1b[0m",      // high: red
		"\x1b[33mmedium  \x1b[0m",      // medium: yellow
	} {
		if !strings.Contains(got, want) {
			t.Errorf("coloured output lacks %q", want)
		}
	}

	color.NoColor = false
	if plain := terminal(t, fixture(), TerminalOptions{}); strings.Contains(plain, "\x1b[") {
		t.Error("escape codes with Color false and global colour on")
	}
}

func TestTerminalVerbose(t *testing.T) {
	in := fixture()
	in.IncludeSuppressed = true
	got := terminal(t, in, TerminalOptions{Verbose: true, ShowInternal: true})
	golden(t, "terminal_verbose.golden", []byte(got))
	for _, want := range []string{
		"fix: List the actions the principal calls",
		"internal: CDK-internal construct LogRetention",
		"related: app/cdk.out/ApiStack.template.json:40:9 trust policy of role HandlerServiceRole",
		"suppressed (cdk-nag AwsSolutions-IAM5): break-glass role, reviewed by security",
		"LogRetention",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("verbose output lacks %q", want)
		}
	}
	if strings.Contains(got, "hidden") {
		t.Error("hidden line with ShowInternal")
	}
}

func TestTerminalErrors(t *testing.T) {
	in := &Input{
		Tool:   Tool{Name: "iamvet", Version: "0.1.0"},
		Stacks: fixture().Stacks[:1],
		Errors: []Error{
			{File: "cdk.out/Broken.template.json", Line: 3, Column: 5, Message: "unexpected end of JSON input"},
			{File: "cdk.out/manifest.json", Message: "artifact Foo points outside the assembly"},
		},
		FailOn: 3,
	}
	got := terminal(t, in, TerminalOptions{})
	golden(t, "terminal_errors.golden", []byte(got))
	if !strings.HasPrefix(got, "error: cdk.out/Broken.template.json:3:5: unexpected end of JSON input\n") {
		t.Errorf("errors not first:\n%s", got)
	}
	if !strings.Contains(got, "0 findings in 1 stack; 0 suppressed; exit 2: 2 load errors") {
		t.Errorf("summary:\n%s", got)
	}
	colored := terminal(t, in, TerminalOptions{Color: true})
	if !strings.HasPrefix(colored, "\x1b[31merror: ") {
		t.Errorf("errors not red: %q", colored[:20])
	}
}

func TestExitReason(t *testing.T) {
	in := fixture()
	in.FailOn = 0
	if got := exitReason(in); got != "exit 0: --fail-on none" {
		t.Error(got)
	}
	in.FailOn = 4
	in.Findings = in.Findings[1:]
	if got := exitReason(in); got != "exit 0: no findings at or above critical" {
		t.Error(got)
	}
}

func TestTerminalSourceLocations(t *testing.T) {
	in := sourceFixture()
	got := terminal(t, in, TerminalOptions{})
	golden(t, "terminal_source.golden", []byte(got))
	for _, want := range []string{
		"              app/lib/api-stack.ts:42:5\n",
		"              app/cdk.out/ApiStack.template.json:131:21\n",
		"              app/bin/app.ts:12:1\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "template:") || strings.Contains(got, "trace:") {
		t.Error("template or trace lines without Verbose")
	}
	verbose := terminal(t, in, TerminalOptions{Verbose: true})
	golden(t, "terminal_source_verbose.golden", []byte(verbose))
	for _, want := range []string{
		"template: app/cdk.out/ApiStack.template.json:118:21",
		"trace: app/bin/app.ts:8:1 creates ApiStack (construct trace)",
		"template: app/cdk.out/assembly-Prod/ProdDataStack1A2B3C4D.template.json:57:19",
	} {
		if !strings.Contains(verbose, want) {
			t.Errorf("verbose output lacks %q", want)
		}
	}
	if strings.Count(verbose, "template: ") != 2 {
		t.Errorf("template lines for findings located in the template:\n%s", verbose)
	}
	// Notes are printed once, after the findings.
	in.Notifications = []string{"no construct traces found"}
	if n := strings.Count(terminal(t, in, TerminalOptions{}), "no construct traces found"); n != 1 {
		t.Errorf("note printed %d times", n)
	}
}
