package report

// GitHub Actions outputs (INTEGRATION.md S-4 --annotations/--summary, F-1.9):
// workflow-command annotations and the Markdown job summary.

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iamvet/iamvet/rules"
)

// MaxAnnotationsPerLevel is how many error, warning and notice annotations
// GitHub shows per step; it drops the rest silently (F-1.9).
const MaxAnnotationsPerLevel = 10

// Of the error annotations, load errors take at most this many; of the
// warnings, tool notifications take at most this many. Findings get the rest.
const (
	maxErrorAnnotations        = 5
	maxNotificationAnnotations = 3
)

// AnnotationOptions control WriteAnnotations.
type AnnotationOptions struct {
	// ShowInternal annotates findings on CDK-internal constructs too
	// (left out by default, like the terminal output).
	ShowInternal bool
}

// annotationLevel maps a severity to a workflow command: critical and high
// fail the check, so they are errors; medium warns; low is a notice.
func annotationLevel(s rules.Severity) string {
	switch {
	case s >= rules.High:
		return "error"
	case s == rules.Medium:
		return "warning"
	}
	return "notice"
}

// linkable reports whether a finding's primary location is a source
// location a resolver placed in the repository.
func linkable(f *rules.Finding, pl bestLoc) bool {
	return f.Source != nil && pl.loc == *f.Source && pl.source != "generated"
}

// ghShown returns the reported findings the GitHub outputs list
// (CDK-internal ones only with showInternal), most severe first, in input
// order within a severity, and how many were hidden.
func ghShown(in *Input, showInternal bool) (shown []*rules.Finding, hidden int) {
	for _, f := range in.Findings {
		if f.CDKInternal && !showInternal {
			hidden++
			continue
		}
		shown = append(shown, f)
	}
	// The driver sorts already; a stable sort keeps that order and makes
	// "top N by severity" hold for any input.
	sort.SliceStable(shown, func(i, j int) bool { return shown[i].Severity > shown[j].Severity })
	return shown, hidden
}

// WriteAnnotations writes GitHub workflow commands (::error, ::warning,
// ::notice) for the most severe findings: critical and high findings are
// errors, medium warnings and low notices, at most MaxAnnotationsPerLevel of
// each (GitHub drops the rest), then one notice counting what was left out.
// Load errors come first (as errors) and tool notifications as warnings.
// Each annotation points at the finding's source location when resolved,
// else at its template, as a path relative to the repository root.
func WriteAnnotations(w io.Writer, in *Input, opt AnnotationOptions) error {
	if err := checkFindings(in.Findings); err != nil {
		return err
	}
	p := newPaths(in.RepoRoot)
	var b strings.Builder
	budget := map[string]int{"error": MaxAnnotationsPerLevel, "warning": MaxAnnotationsPerLevel, "notice": MaxAnnotationsPerLevel}

	moreErrors := 0
	for i, e := range in.Errors {
		if i == maxErrorAnnotations {
			moreErrors = len(in.Errors) - i
			break
		}
		props := []string{}
		if file := ghErrorFile(p, e.File); file != "" {
			props = append(props, "file="+escapeProperty(file))
			if e.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", e.Line))
				if e.Column > 0 {
					props = append(props, fmt.Sprintf("col=%d", e.Column))
				}
			}
		}
		props = append(props, "title="+escapeProperty("iamvet: load error"))
		ghCommand(&b, "error", props, e.String())
		budget["error"]--
	}
	for i, n := range in.Notifications {
		if i == maxNotificationAnnotations {
			break
		}
		ghCommand(&b, "warning", []string{"title=" + escapeProperty("iamvet")}, n)
		budget["warning"]--
	}

	shown, hidden := ghShown(in, opt.ShowInternal)
	count := map[string]int{}
	for _, f := range shown {
		count[annotationLevel(f.Severity)]++
	}
	left := func() int {
		n := 0
		for level, c := range count {
			if c > budget[level] {
				n += c - budget[level]
			}
		}
		return n
	}
	// The closing notice needs a notice slot of its own.
	if left() > 0 || hidden > 0 || moreErrors > 0 {
		budget["notice"]--
	}
	notAnnotated := left()

	for _, f := range shown {
		level := annotationLevel(f.Severity)
		if budget[level] == 0 {
			continue
		}
		budget[level]--
		ghFindingAnnotation(&b, p, level, f)
	}

	if notAnnotated > 0 || hidden > 0 || moreErrors > 0 {
		var parts []string
		if n := notAnnotated + hidden; n > 0 {
			msg := fmt.Sprintf("%d more %s — see the job summary / code scanning", n, ghPlural(n, "finding", "findings"))
			if hidden > 0 {
				msg += fmt.Sprintf(" (%d on CDK-internal constructs; annotate them with %s)", hidden, ShowInternalFlag)
			}
			parts = append(parts, msg)
		}
		if moreErrors > 0 {
			parts = append(parts, fmt.Sprintf("%d more %s in the log", moreErrors, ghPlural(moreErrors, "load error", "load errors")))
		}
		ghCommand(&b, "notice", []string{"title=" + escapeProperty("iamvet")}, strings.Join(parts, "; "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func ghFindingAnnotation(b *strings.Builder, p *paths, level string, f *rules.Finding) {
	pl := p.primary(f)
	fromSource := f.Source != nil && pl.loc == *f.Source
	r := regionOf(pl.loc)
	var props []string
	if file := pl.rel; file != "" {
		props = append(props, "file="+escapeProperty(file))
	}
	props = append(props, fmt.Sprintf("line=%d", r.StartLine), fmt.Sprintf("endLine=%d", r.EndLine))
	// GitHub accepts columns only on single-line annotations.
	if r.EndLine == r.StartLine {
		props = append(props, fmt.Sprintf("col=%d", r.StartColumn), fmt.Sprintf("endColumn=%d", r.EndColumn))
	}
	title := fmt.Sprintf("%s (%s): %s", f.Rule.ID(), f.Severity, f.Rule.Title())
	props = append(props, "title="+escapeProperty(title))

	lines := []string{sentence(f.Message)}
	if where := whereSentence(f); where != "" {
		lines = append(lines, where)
	}
	if fromSource {
		t := templateLoc(f)
		lines = append(lines, fmt.Sprintf("Synthesized template: %s:%d.", p.rel(t.Path).rel, regionOf(t).StartLine))
	}
	if f.CDKInternal && f.InternalNote != "" {
		lines = append(lines, sentence(f.InternalNote))
	}
	if f.Rule.Fix != "" {
		lines = append(lines, "Fix: "+sentence(f.Rule.Fix))
	}
	lines = append(lines, helpURI(f.Rule))
	ghCommand(b, level, props, strings.Join(lines, "\n"))
}

// ghErrorFile renders a load error's file for an annotation: relative to the
// repository root when it is an absolute path.
func ghErrorFile(p *paths, file string) string {
	if file == "" {
		return ""
	}
	if filepath.IsAbs(file) {
		return p.rel(file).rel
	}
	return filepath.ToSlash(file)
}

func ghCommand(b *strings.Builder, level string, props []string, msg string) {
	b.WriteString("::" + level)
	if len(props) > 0 {
		b.WriteString(" " + strings.Join(props, ","))
	}
	b.WriteString("::" + escapeData(msg) + "\n")
}

// escapeData escapes a workflow command's message (actions/toolkit
// command.ts escapeData).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command property value (actions/toolkit
// command.ts escapeProperty).
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// MaxSummaryBytes caps the job summary: GitHub rejects a step summary over
// 1 MiB (F-1.9); half of that leaves room for other steps' output.
const MaxSummaryBytes = 512 << 10

// DefaultSummaryFindings is how many findings the job summary lists.
const DefaultSummaryFindings = 50

// maxSummaryErrors is how many load errors the summary lists.
const maxSummaryErrors = 20

// SummaryOptions control WriteJobSummary.
type SummaryOptions struct {
	// ServerURL, Repository and SHA build blob links
	// (${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/blob/${GITHUB_SHA}/path#Lline);
	// locations are plain paths when any is empty.
	ServerURL, Repository, SHA string
	// Mermaid is a Mermaid diagram of the riskiest principals, embedded
	// as given in a mermaid code block; empty leaves the section out.
	Mermaid string
	// ShowInternal lists findings on CDK-internal constructs too.
	ShowInternal bool
	// Title heads the summary; empty means "iamvet" and the assembly dirs.
	Title string
	// MaxFindings caps the findings table (0 = DefaultSummaryFindings).
	MaxFindings int
	// MaxBytes caps the whole summary (0 = MaxSummaryBytes): the findings
	// table shrinks first, then the diagram goes.
	MaxBytes int
}

// SummaryOptionsFromEnv fills the link fields from the GitHub Actions
// environment (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA).
func SummaryOptionsFromEnv(getenv func(string) string) SummaryOptions {
	return SummaryOptions{
		ServerURL:  getenv("GITHUB_SERVER_URL"),
		Repository: getenv("GITHUB_REPOSITORY"),
		SHA:        getenv("GITHUB_SHA"),
	}
}

// WriteJobSummary writes a GitHub-flavored Markdown summary for
// $GITHUB_STEP_SUMMARY: a title and verdict, counts by severity and by rule,
// the most severe findings with links to the code, an optional Mermaid
// diagram and notes. It never writes more than opt.MaxBytes.
func WriteJobSummary(w io.Writer, in *Input, opt SummaryOptions) error {
	if err := checkFindings(in.Findings); err != nil {
		return err
	}
	limitBytes := opt.MaxBytes
	if limitBytes <= 0 {
		limitBytes = MaxSummaryBytes
	}
	maxFindings := opt.MaxFindings
	if maxFindings <= 0 {
		maxFindings = DefaultSummaryFindings
	}
	s := &ghSummary{in: in, opt: opt, p: newPaths(in.RepoRoot)}
	s.shown, s.hidden = ghShown(in, opt.ShowInternal)

	n := min(maxFindings, len(s.shown))
	out := s.render(n, true, false)
	if len(out) > limitBytes {
		// The largest findings list that fits: rendering grows with n.
		lo, hi := 0, n // render(lo) may fit; render(hi) does not
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if len(s.render(mid, true, true)) <= limitBytes {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		out = s.render(lo, true, true)
		if len(out) > limitBytes {
			out = s.render(0, false, true)
		}
		if len(out) > limitBytes {
			out = ghCut(out, limitBytes)
		}
	}
	_, err := io.WriteString(w, out)
	return err
}

// ghCut shortens a summary to at most max bytes at a line boundary,
// with a closing line saying so.
func ghCut(s string, max int) string {
	const tail = "\n\n_Summary cut to stay under GitHub's size limit._\n"
	if max <= len(tail) {
		return ""
	}
	s = s[:max-len(tail)]
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s + tail
}

type ghSummary struct {
	in     *Input
	opt    SummaryOptions
	p      *paths
	shown  []*rules.Finding
	hidden int
}

func (s *ghSummary) render(nFindings int, withDiagram, truncated bool) string {
	in := s.in
	var b strings.Builder

	b.WriteString("## " + s.title() + "\n\n")
	b.WriteString(s.verdict() + "\n\n")

	// Scope: findings, stacks, suppressed, hidden.
	scope := []string{
		plural(len(in.Findings), "finding") + " in " + plural(len(in.Stacks), "stack"),
	}
	if len(in.Suppressed) > 0 {
		scope = append(scope, fmt.Sprintf("%d suppressed", len(in.Suppressed)))
	}
	if s.hidden > 0 {
		scope = append(scope, fmt.Sprintf("%d on CDK-internal constructs (not listed)", s.hidden))
	}
	b.WriteString(strings.Join(scope, " · ") + "\n\n")

	// Counts by severity.
	counts := bySeverity(in.Findings)
	b.WriteString("| Severity | Findings | Fails the check |\n|:--|--:|:-:|\n")
	for _, sev := range rules.Severities {
		fails := "no"
		if in.FailOn > 0 && sev >= in.FailOn {
			fails = "yes"
		}
		fmt.Fprintf(&b, "| %s | %d | %s |\n", capitalize(sev.String()), counts[sev], fails)
	}
	fmt.Fprintf(&b, "| **Total** | **%d** | |\n\n", len(in.Findings))

	// Counts by rule.
	if rows := ghRuleCounts(in.Findings); len(rows) > 0 {
		b.WriteString("### Findings by rule\n\n| Rule | Title | Highest severity | Findings |\n|:--|:--|:--|--:|\n")
		for _, rc := range rows {
			fmt.Fprintf(&b, "| [%s](%s) | %s | %s | %d |\n", mdText(rc.rule.ID()), mdURL(helpURI(rc.rule)),
				mdText(rc.rule.Title()), rc.highest, rc.n)
		}
		b.WriteString("\n")
	}

	// The most severe findings.
	if len(s.shown) > 0 {
		b.WriteString("### Findings\n\n")
		if nFindings < len(s.shown) {
			fmt.Fprintf(&b, "The %d most severe of %d listed findings; the SARIF and JSON outputs have all of them.\n\n", nFindings, len(s.shown))
		}
		if nFindings > 0 {
			b.WriteString("| Severity | Rule | Finding | Location |\n|:--|:--|:--|:--|\n")
			for _, f := range s.shown[:nFindings] {
				fmt.Fprintf(&b, "| %s | [%s](%s) | %s | %s |\n", f.Severity, mdText(f.Rule.ID()), mdURL(helpURI(f.Rule)),
					s.findingCell(f), s.locationCell(f))
			}
			b.WriteString("\n")
		}
	}

	diagram := strings.TrimSpace(s.opt.Mermaid)
	if diagram != "" && withDiagram {
		b.WriteString("### Riskiest principals\n\n")
		fence := codeFence(diagram)
		b.WriteString(fence + "mermaid\n" + diagram + "\n" + fence + "\n\n")
	}

	if notes := s.notes(nFindings, diagram != "" && !withDiagram, truncated); len(notes) > 0 {
		b.WriteString("### Notes\n\n")
		for _, n := range notes {
			b.WriteString("- " + n + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (s *ghSummary) title() string {
	if s.opt.Title != "" {
		return mdText(s.opt.Title)
	}
	var roots []string
	seen := map[string]bool{}
	for _, st := range s.in.Stacks {
		dir := st.Root
		if dir == "" && st.TemplatePath != "" {
			dir = filepath.Dir(st.TemplatePath)
		}
		if dir == "" {
			continue
		}
		rel := s.p.rel(dir).rel
		if rel == "" || seen[rel] {
			continue
		}
		seen[rel] = true
		roots = append(roots, mdCode(rel))
	}
	if len(roots) == 0 {
		return "iamvet"
	}
	if len(roots) > 3 {
		roots = append(roots[:3], fmt.Sprintf("%d more", len(roots)-3))
	}
	return "iamvet: " + strings.Join(roots, ", ")
}

func (s *ghSummary) verdict() string {
	in := s.in
	switch {
	case len(in.Errors) > 0:
		return fmt.Sprintf("❌ **Failed:** %s could not be loaded (exit 2); no SARIF or JSON was written. The findings below cover the stacks that loaded.",
			plural(len(in.Errors), "file"))
	case in.FailOn <= 0:
		return fmt.Sprintf("✅ **Passed:** `--fail-on none`; %s reported.", plural(len(in.Findings), "finding"))
	}
	if n := Blocking(in); n > 0 {
		return fmt.Sprintf("❌ **Failed:** %s at or above **%s** (exit 1).", plural(n, "finding"), in.FailOn)
	}
	if len(in.Findings) > 0 {
		return fmt.Sprintf("✅ **Passed:** no findings at or above **%s**; %s below it.", in.FailOn, plural(len(in.Findings), "finding"))
	}
	return "✅ **Passed:** no findings."
}

func (s *ghSummary) findingCell(f *rules.Finding) string {
	cell := mdText(limit(f.Message, 400))
	where := strings.TrimSuffix(f.ConstructPath, "/Resource")
	if where == "" {
		where = f.LogicalID
	}
	var sub []string
	if where != "" {
		sub = append(sub, mdCode(where))
	}
	if name := stackName(f.Stack); name != "" && !strings.HasPrefix(where, name+"/") {
		sub = append(sub, "stack "+mdText(name))
	}
	if f.CDKInternal {
		sub = append(sub, "CDK-internal")
	}
	if len(sub) > 0 {
		cell += "<br>" + strings.Join(sub, " · ")
	}
	return cell
}

// locationCell links to the finding's source line when it is a file of the
// repository and the GitHub environment is known, else shows the path.
func (s *ghSummary) locationCell(f *rules.Finding) string {
	pl := s.p.primary(f)
	r := regionOf(pl.loc)
	if pl.rel == "" {
		return "-"
	}
	text := fmt.Sprintf("%s:%d", pl.rel, r.StartLine)
	// Only a location a resolver placed in the repository is known to be a
	// committed file; the synthesized template usually is not (cdk.out is
	// git-ignored), so it is never linked.
	if linkable(f, pl) && s.opt.ServerURL != "" && s.opt.Repository != "" && s.opt.SHA != "" {
		anchor := fmt.Sprintf("#L%d", r.StartLine)
		if r.EndLine > r.StartLine {
			anchor += fmt.Sprintf("-L%d", r.EndLine)
		}
		url := strings.TrimRight(s.opt.ServerURL, "/") + "/" + strings.Trim(s.opt.Repository, "/") + "/blob/" + s.opt.SHA + "/" + uriEncode(pl.rel) + anchor
		return "[" + mdText(text) + "](" + mdURL(url) + ")"
	}
	return mdCode(text)
}

func (s *ghSummary) notes(nFindings int, diagramDropped, truncated bool) []string {
	in := s.in
	var notes []string
	for i, e := range in.Errors {
		if i == maxSummaryErrors {
			notes = append(notes, fmt.Sprintf("… and %s more", plural(len(in.Errors)-i, "load error")))
			break
		}
		notes = append(notes, "Load error: "+mdCode(e.String()))
	}
	for _, n := range in.Notifications {
		notes = append(notes, mdText(n))
	}
	noSource := 0
	for _, f := range s.shown {
		if !linkable(f, s.p.primary(f)) {
			noSource++
		}
	}
	if noSource > 0 {
		notes = append(notes, fmt.Sprintf("%s %s at the synthesized template, not at your CDK code: synthesize with construct traces "+
			"(`cdk synth --debug`, or `CDK_DEBUG=true`) so findings link to source lines and code scanning alerts can show on pull requests.",
			plural(noSource, "finding"), ghPlural(noSource, "points", "point")))
	}
	if len(in.Suppressed) > 0 {
		notes = append(notes, fmt.Sprintf("%s suppressed with a reason; list %s with `--include-suppressed`.",
			plural(len(in.Suppressed), "finding"), ghPlural(len(in.Suppressed), "it", "them")))
	}
	if s.hidden > 0 {
		notes = append(notes, fmt.Sprintf("%s on CDK-internal constructs not listed; show %s with `%s`.",
			plural(s.hidden, "finding"), ghPlural(s.hidden, "it", "them"), ShowInternalFlag))
	}
	if truncated && nFindings < min(len(s.shown), s.maxFindings()) {
		notes = append(notes, fmt.Sprintf("The findings table was cut to %d rows to keep this summary under GitHub's size limit.", nFindings))
	}
	if diagramDropped {
		notes = append(notes, "The principals diagram was left out to keep this summary under GitHub's size limit.")
	}
	return notes
}

func (s *ghSummary) maxFindings() int {
	if s.opt.MaxFindings > 0 {
		return s.opt.MaxFindings
	}
	return DefaultSummaryFindings
}

func ghPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

type ghRuleCount struct {
	rule    *rules.Rule
	n       int
	highest rules.Severity
}

// ghRuleCounts counts findings per rule: most findings first, then the most
// severe, then by id.
func ghRuleCounts(fs []*rules.Finding) []ghRuleCount {
	idx := map[string]int{}
	var out []ghRuleCount
	for _, f := range fs {
		id := f.Rule.ID()
		i, ok := idx[id]
		if !ok {
			i = len(out)
			idx[id] = i
			out = append(out, ghRuleCount{rule: f.Rule})
		}
		out[i].n++
		if f.Severity > out[i].highest {
			out[i].highest = f.Severity
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.n != b.n {
			return a.n > b.n
		}
		if a.highest != b.highest {
			return a.highest > b.highest
		}
		return a.rule.ID() < b.rule.ID()
	})
	return out
}

// mdText escapes text for a Markdown table cell: one line, Markdown
// punctuation and HTML characters escaped, pipes escaped for GFM tables.
func mdText(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '#', '!':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode renders s as an inline code span that survives a GFM table cell.
func mdCode(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + strings.ReplaceAll(s, "|", `\|`) + fence
}

// codeFence returns a backtick fence longer than any backtick run in s.
func codeFence(s string) string {
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence
}

// mdURL makes a URL safe as a Markdown link destination.
func mdURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "|", "%7C").Replace(u)
}
