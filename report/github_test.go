package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/rules"
)

const testMermaid = `flowchart LR
  svc_lambda["lambda.amazonaws.com"] -->|assumes| role_handler["HandlerServiceRole"]
  role_handler -->|"* on *"| admin(("administrator"))
`

// githubFixture is the shared fixture with a resolved source location on
// the critical finding (S-3 "source"); the others point at templates.
func githubFixture() *Input {
	in := fixture()
	f := in.Findings[0]
	src := loc("/repo/lib/api-stack.ts", 42, 5, 42, 61)
	f.Source = &src
	f.LocationSource = "source"
	return in
}

var githubEnv = SummaryOptions{ServerURL: "https://github.com/", Repository: "acme/app", SHA: "0123456789abcdef0123456789abcdef01234567"}

func annotations(t *testing.T, in *Input, opt AnnotationOptions) string {
	t.Helper()
	return string(write(t, func(b *bytes.Buffer) error { return WriteAnnotations(b, in, opt) }))
}

func jobSummary(t *testing.T, in *Input, opt SummaryOptions) string {
	t.Helper()
	return string(write(t, func(b *bytes.Buffer) error { return WriteJobSummary(b, in, opt) }))
}

// commands returns the annotation lines by level; every line must be one
// workflow command.
func commands(t *testing.T, out string) map[string][]string {
	t.Helper()
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		rest, ok := strings.CutPrefix(line, "::")
		i := strings.IndexAny(rest, " :")
		if !ok || i < 0 {
			t.Fatalf("not a workflow command: %q", line)
		}
		switch level := rest[:i]; level {
		case "error", "warning", "notice":
		default:
			t.Fatalf("not a workflow command: %q", line)
		}
		if strings.Count(line, "::") < 2 {
			t.Fatalf("command without message separator: %q", line)
		}
		m[rest[:i]] = append(m[rest[:i]], line)
	}
	return m
}

func TestAnnotationsGolden(t *testing.T) {
	got := annotations(t, githubFixture(), AnnotationOptions{})
	golden(t, "github_annotations.golden", []byte(got))
	cmds := commands(t, got)
	for _, want := range []string{
		// Source location first, columns on a single-line region, escaped title.
		"::error file=lib/api-stack.ts,line=42,endLine=42,col=5,endColumn=61,title=IAM901 (critical)%3A policy grants administrator access::" +
			`Role HandlerServiceRole allows every action ("*") on every resource: administrator access.%0A` +
			"Construct ApiStack/Handler/ServiceRole/DefaultPolicy (logical ID HandlerServiceRoleDefaultPolicy1234, AWS::IAM::Policy) in stack ApiStack.%0A" +
			"Synthesized template: app/cdk.out/ApiStack.template.json:118.%0A" +
			"Fix: List the actions the principal calls and scope them to the resources it uses.%0A" +
			"https://github.com/iamvet/iamvet/blob/main/docs/rules/IAM901.md\n",
		// No source: the template, relative to the repository root.
		"::error file=app/cdk.out/ApiStack.template.json,line=131,endLine=131,col=21,endColumn=27,title=IAM902 (high)%3A statement allows every action of a service::",
		// Medium is a warning; a template outside the root keeps a short path.
		"::warning file=cdk.out/Ext Stack.template.json,line=12,endLine=12,col=1,endColumn=2,title=IAM903 (medium)%3A trust policy lets any principal of an account assume the role::",
		// The tool notification is a warning without a file.
		"::warning title=iamvet::no construct traces in cdk.out; run `cdk synth --debug` to map findings to source\n",
		// The CDK-internal low finding is not annotated but counted.
		"::notice title=iamvet::1 more finding — see the job summary / code scanning (1 on CDK-internal constructs; annotate them with --show-internal)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("annotations lack\n%s\ngot:\n%s", want, got)
		}
	}
	if strings.Contains(got, "LogRetention") {
		t.Error("CDK-internal finding annotated by default")
	}
	if strings.Contains(got, "AdminRole") {
		t.Error("suppressed finding annotated")
	}
	if len(cmds["error"]) != 3 || len(cmds["warning"]) != 2 || len(cmds["notice"]) != 1 {
		t.Errorf("levels: %d errors, %d warnings, %d notices", len(cmds["error"]), len(cmds["warning"]), len(cmds["notice"]))
	}
	// The closing notice is last.
	if !strings.HasSuffix(got, "annotate them with --show-internal)\n") {
		t.Error("closing notice is not the last line")
	}
}

func TestAnnotationsShowInternal(t *testing.T) {
	got := annotations(t, githubFixture(), AnnotationOptions{ShowInternal: true})
	cmds := commands(t, got)
	if len(cmds["notice"]) != 1 || !strings.Contains(cmds["notice"][0], "title=IAM902 (low)%3A") ||
		!strings.Contains(cmds["notice"][0], "CDK-internal construct LogRetention") {
		t.Errorf("internal finding not annotated as a notice:\n%s", got)
	}
	if strings.Contains(got, "more finding") {
		t.Error("closing notice although everything was annotated")
	}
}

// manyFindings builds n findings of severity sev with distinct messages.
func manyFindings(sev rules.Severity, n int, tag string) []*rules.Finding {
	var out []*rules.Finding
	for i := range n {
		out = append(out, &rules.Finding{
			Rule: ruleWildcard, Severity: sev, Stack: apiStack,
			Message:       fmt.Sprintf("%s finding %d", tag, i),
			LogicalID:     fmt.Sprintf("Role%d", i),
			ResourceType:  "AWS::IAM::Role",
			ConstructPath: fmt.Sprintf("ApiStack/Role%d/Resource", i),
			Template:      loc(apiStack.TemplatePath, 10+i, 3, 10+i, 9),
		})
	}
	return out
}

func TestAnnotationCaps(t *testing.T) {
	in := &Input{Tool: Tool{Name: "iamvet", Version: "0.1.0"}, RepoRoot: repo, FailOn: rules.High, Stacks: []rules.StackRef{apiStack}}
	// Deliberately unsorted: the writer picks the most severe per level.
	in.Findings = append(in.Findings, manyFindings(rules.High, 20, "high")...)
	in.Findings = append(in.Findings, manyFindings(rules.Low, 12, "low")...)
	in.Findings = append(in.Findings, manyFindings(rules.Medium, 15, "medium")...)
	in.Findings = append(in.Findings, manyFindings(rules.Critical, 3, "critical")...)
	got := annotations(t, in, AnnotationOptions{})
	cmds := commands(t, got)
	for level, lines := range cmds {
		if len(lines) > MaxAnnotationsPerLevel {
			t.Errorf("%d %s annotations; GitHub shows %d", len(lines), level, MaxAnnotationsPerLevel)
		}
	}
	if len(cmds["error"]) != 10 || len(cmds["warning"]) != 10 || len(cmds["notice"]) != 10 {
		t.Errorf("levels: %d errors, %d warnings, %d notices", len(cmds["error"]), len(cmds["warning"]), len(cmds["notice"]))
	}
	for i := range 3 {
		if !strings.Contains(cmds["error"][i], "(critical)") {
			t.Errorf("error annotation %d is not critical: %s", i, cmds["error"][i])
		}
	}
	if !strings.Contains(cmds["error"][3], "::High finding 0.") {
		t.Errorf("high findings not in input order: %s", cmds["error"][3])
	}
	// 13 high, 5 medium and 3 low (one notice slot is the closing notice).
	last := cmds["notice"][9]
	if !strings.HasSuffix(got, last+"\n") || !strings.Contains(last, "::21 more findings — see the job summary / code scanning") {
		t.Errorf("closing notice: %s", last)
	}

	// Load errors come first and take at most five error slots.
	for i := range 7 {
		in.Errors = append(in.Errors, Error{File: fmt.Sprintf("/repo/app/cdk.out/Broken%d.template.json", i), Line: 3, Column: 5, Message: "unexpected end of JSON input"})
	}
	in.Notifications = []string{"note one", "note two", "note three", "note four"}
	got = annotations(t, in, AnnotationOptions{})
	cmds = commands(t, got)
	if !strings.HasPrefix(got, "::error file=app/cdk.out/Broken0.template.json,line=3,col=5,title=iamvet%3A load error::") {
		t.Errorf("load error not first:\n%s", strings.SplitN(got, "\n", 2)[0])
	}
	loadErrs, warnNotes := 0, 0
	for _, l := range cmds["error"] {
		if strings.Contains(l, "load error") {
			loadErrs++
		}
	}
	for _, l := range cmds["warning"] {
		if strings.HasPrefix(l, "::warning title=iamvet::note") {
			warnNotes++
		}
	}
	if loadErrs != 5 || len(cmds["error"]) != 10 {
		t.Errorf("%d load error annotations of %d errors", loadErrs, len(cmds["error"]))
	}
	if warnNotes != 3 || len(cmds["warning"]) != 10 {
		t.Errorf("%d notification annotations of %d warnings", warnNotes, len(cmds["warning"]))
	}
	// 18 high, 8 medium, 3 low; 2 more load errors.
	if last := cmds["notice"][len(cmds["notice"])-1]; !strings.Contains(last, "::29 more findings — see the job summary / code scanning; 2 more load errors in the log") {
		t.Errorf("closing notice: %s", last)
	}
}

func TestAnnotationsNothing(t *testing.T) {
	in := &Input{Tool: Tool{Name: "iamvet"}, RepoRoot: repo, FailOn: rules.Low}
	if got := annotations(t, in, AnnotationOptions{}); got != "" {
		t.Errorf("annotations without findings: %q", got)
	}
}

func TestAnnotationEscaping(t *testing.T) {
	if got, want := escapeData("50% of\r\nall: a,b"), "50%25 of%0D%0Aall: a,b"; got != want {
		t.Errorf("escapeData = %q, want %q", got, want)
	}
	if got, want := escapeProperty("a:b,c%\nd"), "a%3Ab%2Cc%25%0Ad"; got != want {
		t.Errorf("escapeProperty = %q, want %q", got, want)
	}
	in := &Input{Tool: Tool{Name: "iamvet"}, RepoRoot: repo, FailOn: rules.Low}
	f := manyFindings(rules.Medium, 1, "x")[0]
	f.Message = "grants 100% of s3:*\nand more"
	f.Stack.TemplatePath = "/repo/app/cdk.out/a,b:c.template.json"
	f.Template.Path = ""
	in.Findings = []*rules.Finding{f}
	got := annotations(t, in, AnnotationOptions{})
	if !strings.HasPrefix(got, "::warning file=app/cdk.out/a%2Cb%3Ac.template.json,line=10,") ||
		!strings.Contains(got, "::Grants 100%25 of s3:*%0Aand more.%0A") || strings.Count(got, "\n") != 1 {
		t.Errorf("escaping:\n%s", got)
	}
}

func TestJobSummaryGolden(t *testing.T) {
	opt := githubEnv
	opt.Mermaid = testMermaid
	got := jobSummary(t, githubFixture(), opt)
	golden(t, "github_summary.golden", []byte(got))
	for _, want := range []string{
		"## iamvet: `app/cdk.out`, `elsewhere/cdk.out`\n",
		"❌ **Failed:** 3 findings at or above **high** (exit 1).",
		"5 findings in 4 stacks · 1 suppressed · 1 on CDK-internal constructs (not listed)",
		"| Critical | 1 | yes |",
		"| Medium | 1 | no |",
		"| **Total** | **5** | |",
		"| [IAM902](https://github.com/iamvet/iamvet/blob/main/docs/rules/IAM902.md) | statement allows every action of a service | high | 3 |",
		// The source location links to the blob at the commit.
		"[lib/api-stack.ts:42](https://github.com/acme/app/blob/0123456789abcdef0123456789abcdef01234567/lib/api-stack.ts#L42)",
		// Templates stay plain paths: cdk.out is usually not committed.
		"`app/cdk.out/ApiStack.template.json:131`",
		"`cdk.out/Ext Stack.template.json:12`",
		// Markdown in messages is escaped.
		`on bucket \<Uploads\>`,
		`("\*")`,
		"<br>`ApiStack/Handler/ServiceRole/DefaultPolicy`",
		"<br>`Prod/DataStack/ExportRole/DefaultPolicy`",
		"<br>`DeployRole` · stack Ext Stack",
		"```mermaid\nflowchart LR\n",
		"- no construct traces in cdk.out; run \\`cdk synth --debug\\` to map findings",
		"- 3 findings point at the synthesized template, not at your CDK code",
		"- 1 finding suppressed with a reason; list it with `--include-suppressed`.",
		"- 1 finding on CDK-internal constructs not listed; show it with `--show-internal`.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(got, "LogRetention") || strings.Contains(got, "AdminRole") {
		t.Error("internal or suppressed finding listed")
	}
	if strings.Contains(got, "blob/0123456789abcdef0123456789abcdef01234567/app/cdk.out") {
		t.Error("link to a synthesized template")
	}
	// Severity order: critical row before high rows before medium.
	ci, hi, mi := strings.Index(got, "\n| critical | ["), strings.Index(got, "\n| high | ["), strings.Index(got, "\n| medium | [")
	if ci < 0 || !(ci < hi && hi < mi) {
		t.Errorf("findings not most severe first: %d %d %d", ci, hi, mi)
	}
}

func TestJobSummaryNoEnv(t *testing.T) {
	got := jobSummary(t, githubFixture(), SummaryOptions{})
	if strings.Contains(got, "#L") {
		t.Error("blob link without GITHUB_* values")
	}
	if !strings.Contains(got, "`lib/api-stack.ts:42`") {
		t.Error("source location not shown as a path")
	}
	if strings.Contains(got, "mermaid") || strings.Contains(got, "Riskiest principals") {
		t.Error("diagram section without a diagram")
	}
	// A source location outside the repository is not used, nor linked.
	in := githubFixture()
	in.Findings[0].Source.Path = "/elsewhere/lib/api-stack.ts"
	got = jobSummary(t, in, githubEnv)
	if strings.Contains(got, "acme/app") || !strings.Contains(got, "`app/cdk.out/ApiStack.template.json:118`") {
		t.Errorf("source outside the repository:\n%s", got)
	}
}

func TestJobSummaryVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Input)
		want string
	}{
		{"failed", func(*Input) {}, "❌ **Failed:** 3 findings at or above **high** (exit 1)."},
		{"fail-on none", func(in *Input) { in.FailOn = 0 }, "✅ **Passed:** `--fail-on none`; 5 findings reported."},
		{"below threshold", func(in *Input) { in.FailOn = rules.Critical; in.Findings = in.Findings[1:] }, "✅ **Passed:** no findings at or above **critical**; 4 findings below it."},
		{"clean", func(in *Input) { in.Findings = nil }, "✅ **Passed:** no findings."},
		{"load errors", func(in *Input) {
			in.Errors = []Error{{File: "cdk.out/Broken.template.json", Line: 3, Column: 5, Message: "unexpected end of JSON input"}}
		}, "❌ **Failed:** 1 file could not be loaded (exit 2); no SARIF or JSON was written."},
	} {
		in := githubFixture()
		tc.edit(in)
		got := jobSummary(t, in, SummaryOptions{})
		if !strings.Contains(got, "\n\n"+tc.want) {
			t.Errorf("%s: verdict missing %q:\n%s", tc.name, tc.want, got)
		}
	}
	in := githubFixture()
	in.Findings = nil
	if got := jobSummary(t, in, SummaryOptions{}); strings.Contains(got, "### Findings") {
		t.Error("findings sections without findings")
	}
	in = githubFixture()
	in.Errors = []Error{{File: "cdk.out/Broken.template.json", Line: 3, Column: 5, Message: "bad | json"}}
	if got := jobSummary(t, in, SummaryOptions{}); !strings.Contains(got, "- Load error: `cdk.out/Broken.template.json:3:5: bad \\| json`") {
		t.Errorf("load error note missing:\n%s", got)
	}
}

func TestJobSummaryTopFindings(t *testing.T) {
	in := &Input{Tool: Tool{Name: "iamvet"}, RepoRoot: repo, FailOn: rules.High, Stacks: []rules.StackRef{apiStack}}
	in.Findings = append(manyFindings(rules.Low, 40, "low"), manyFindings(rules.High, 30, "high")...)
	got := jobSummary(t, in, SummaryOptions{})
	if n := strings.Count(got, "\n| high | [IAM902]"); n != 30 {
		t.Errorf("%d high rows, want 30", n)
	}
	if n := strings.Count(got, "\n| low | [IAM902]"); n != 20 {
		t.Errorf("%d low rows, want 20", n)
	}
	if !strings.Contains(got, "The 50 most severe of 70 listed findings") {
		t.Error("no line saying the list is partial")
	}
	if strings.Contains(got, "cut to") {
		t.Error("size note although nothing was cut for size")
	}
}

func TestJobSummaryCap(t *testing.T) {
	in := &Input{Tool: Tool{Name: "iamvet"}, RepoRoot: repo, FailOn: rules.High, Stacks: []rules.StackRef{apiStack}}
	in.Findings = manyFindings(rules.High, 200, "high")
	for _, f := range in.Findings {
		f.Message += " " + strings.Repeat("long words ", 60)
	}
	// The findings table shrinks first.
	const small = 16 << 10
	got := jobSummary(t, in, SummaryOptions{MaxBytes: small, MaxFindings: 200, Mermaid: testMermaid})
	rows := strings.Count(got, "\n| high | [IAM902]")
	if len(got) > small || rows == 0 || rows >= 200 {
		t.Errorf("%d bytes, %d rows", len(got), rows)
	}
	if !strings.Contains(got, fmt.Sprintf("The findings table was cut to %d rows to keep this summary under GitHub's size limit.", rows)) {
		t.Error("no note about the cut")
	}
	if !strings.Contains(got, "```mermaid") {
		t.Error("diagram dropped before the findings list was exhausted")
	}
	// One more row would not have fitted.
	s := &ghSummary{in: in, opt: SummaryOptions{MaxFindings: 200, Mermaid: testMermaid}, p: newPaths(repo)}
	s.shown, s.hidden = ghShown(in, false)
	if len(s.render(rows+1, true, true)) <= small {
		t.Errorf("%d rows kept although %d fit", rows, rows+1)
	}

	// A diagram larger than the cap goes, with a note.
	huge := "flowchart LR\n" + strings.Repeat("  a --> b\n", MaxSummaryBytes/8)
	got = jobSummary(t, in, SummaryOptions{Mermaid: huge})
	if len(got) > MaxSummaryBytes || strings.Contains(got, "```mermaid") || !strings.Contains(got, "The principals diagram was left out") {
		t.Errorf("huge diagram: %d bytes", len(got))
	}

	// Nothing fits: a hard cut at a line boundary, still under the cap.
	got = jobSummary(t, in, SummaryOptions{MaxBytes: 300})
	if len(got) > 300 || !strings.HasSuffix(got, "_Summary cut to stay under GitHub's size limit._\n") {
		t.Errorf("hard cut: %d bytes:\n%s", len(got), got)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"role <Admin> | s3:* on arn_x": `role \<Admin\> \| s3:\* on arn\_x`,
		"a\nb & [c](d) `e` ~f~ #1 !":   `a b &amp; \[c\](d) \` + "`" + `e\` + "`" + ` \~f\~ \#1 \!`,
	} {
		if got := mdText(in); got != want {
			t.Errorf("mdText(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"A/B":     "`A/B`",
		"a|b":     "`a\\|b`",
		"x`y":     "``x`y``",
		"`start":  "`` `start ``",
		"two\nln": "`two ln`",
	} {
		if got := mdCode(in); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdURL("https://x/a (1).ts"); got != "https://x/a%20%281%29.ts" {
		t.Errorf("mdURL = %q", got)
	}
	if got := codeFence("a\n```\nb"); got != "````" {
		t.Errorf("codeFence = %q", got)
	}
}

func TestSummaryOptionsFromEnv(t *testing.T) {
	env := map[string]string{"GITHUB_SERVER_URL": "https://ghe.example", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "abc"}
	got := SummaryOptionsFromEnv(func(k string) string { return env[k] })
	if got.ServerURL != "https://ghe.example" || got.Repository != "o/r" || got.SHA != "abc" {
		t.Errorf("%+v", got)
	}
}

func TestGitHubMissingRule(t *testing.T) {
	in := fixture()
	in.Findings = append(in.Findings, &rules.Finding{Message: "no rule"})
	if WriteAnnotations(&bytes.Buffer{}, in, AnnotationOptions{}) == nil {
		t.Error("annotations: a finding without a rule was accepted")
	}
	if WriteJobSummary(&bytes.Buffer{}, in, SummaryOptions{}) == nil {
		t.Error("summary: a finding without a rule was accepted")
	}
}
