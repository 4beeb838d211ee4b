package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iamvet/iamvet/rules"
)

// SARIFSchema is the $schema URL GitHub's documentation uses (go-sarif's
// default points at a raw GitHub URL).
const SARIFSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// templateLinkText is relatedLocations[id=1]'s message (S-3.3).
const templateLinkText = "synthesized CloudFormation (generated, may be untracked)"

// maxRelated is GitHub's display limit for related locations per result.
const maxRelated = 10

// maxTags is GitHub's display limit for tags per rule.
const maxTags = 10

// maxDescription is GitHub's limit for short and full descriptions.
const maxDescription = 1024

// WriteSARIF writes one SARIF 2.1.0 run for the whole input (S-1).
//
// go-sarif v2.3.3 pitfalls (INTEGRATION.md F-4.3) are avoided here: rules
// are added before any result (else ruleIndex is 2^64-1), $schema is set
// explicitly, shortDescription is always set, and the output is never
// written with Report.WriteFile, which does not truncate. Members whose
// value is null are dropped (go-sarif's Suppression has no omitempty, and
// the schema rejects null there) and HTML characters are left unescaped
// (tidyCompact).
//
// The results are streamed: the log without them is marshalled once, and
// each result is marshalled, tidied and indented into its place as it is
// built, so that memory does not grow with the number of results. The
// bytes are those of marshalling the whole log with its results and
// tidying it (tidyJSON).
func WriteSARIF(w io.Writer, in *Input) error {
	fs := listed(in)
	if err := checkFindings(fs); err != nil {
		return err
	}
	rep, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	rep.Schema = SARIFSchema

	name := in.Tool.Name
	if name == "" {
		name = "iamvet"
	}
	run := sarif.NewRunWithInformationURI(name, in.Tool.InformationURI)
	if in.Tool.InformationURI == "" {
		run.Tool.Driver.InformationURI = nil
	}
	if v := strings.TrimPrefix(in.Tool.Version, "v"); v != "" {
		run.Tool.Driver.WithVersion(v).WithSemanticVersion(v)
	}
	// Every enabled rule (and any rule a finding names), sorted by id,
	// before any result.
	for _, r := range sarifRules(in.Rules, fs) {
		addRule(run, r)
	}
	run.ColumnKind = "utf16CodeUnits"

	maxResults := in.MaxResults
	if maxResults <= 0 {
		maxResults = DefaultMaxResults
	}
	if maxResults > hardMaxResults {
		maxResults = hardMaxResults
	}
	written := min(len(fs), maxResults)

	inv := run.AddInvocation(len(in.Errors) == 0)
	for _, e := range in.Errors {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("error").
			WithMessage(sarif.NewTextMessage("load error: " + e.String())))
	}
	for _, n := range in.Notifications {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("warning").
			WithMessage(sarif.NewTextMessage(n)))
	}
	if written < len(fs) {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("warning").
			WithMessage(sarif.NewTextMessage(fmt.Sprintf(
				"results truncated: %d of %d findings written (max results %d); the least severe were left out",
				written, len(fs), maxResults))))
	}
	if in.Category != "" {
		id := strings.TrimSuffix(in.Category, "/") + "/"
		run.AutomationDetails = sarif.NewRunAutomationDetails().WithID(id)
	}
	rep.AddRun(run)

	// The log without results; run.Results is empty, not nil, so that it
	// marks where the results go.
	raw, err := json.Marshal(rep)
	if err != nil {
		return err
	}
	var skeleton bytes.Buffer
	skeleton.Grow(2 * len(raw))
	if err := json.Indent(&skeleton, tidyCompact(nil, raw), "", "  "); err != nil {
		return fmt.Errorf("report: post-process SARIF: %w", err)
	}
	skeleton.WriteByte('\n')
	if written == 0 {
		_, err := w.Write(skeleton.Bytes())
		return err
	}
	head, tail, ok := bytes.Cut(skeleton.Bytes(), []byte(resultsMark))
	if !ok || bytes.Contains(tail, []byte(resultsMark)) {
		// Never so far: the log in one piece.
		p := newPaths(in.RepoRoot)
		for _, f := range fs[:written] {
			run.AddResult(sarifResult(p, f, in.CodeFlows))
		}
		raw, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		out, err := tidyJSON(raw)
		if err != nil {
			return fmt.Errorf("report: post-process SARIF: %w", err)
		}
		_, err = w.Write(out)
		return err
	}

	ruleIndex := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		if _, dup := ruleIndex[r.ID]; !dup {
			ruleIndex[r.ID] = i
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head)
	bw.WriteString(resultsMark[:len(resultsMark)-1]) // without the closing ']'
	err = encodeResults(bw, fs[:written], func(p *paths, f *rules.Finding) *sarif.Result {
		res := sarifResult(p, f, in.CodeFlows)
		idx, ok := ruleIndex[*res.RuleID]
		if !ok {
			idx = -1 // as run.AddResult does
		}
		return res.WithRuleIndex(idx)
	}, in.RepoRoot)
	if err != nil {
		return err
	}
	bw.WriteString("\n" + resultIndent[:len(resultIndent)-2] + "]")
	bw.Write(tail)
	return bw.Flush()
}

// resultBatch is the number of results a worker encodes at a time.
const resultBatch = 64

// encodeResults writes the results of fs, each on a new line and
// separated by commas, as they appear in the log. Workers build and encode
// batches of results in parallel (each with a paths cache of its own); the
// batches are written in order, with at most a few in memory at once.
func encodeResults(w io.Writer, fs []*rules.Finding, build func(*paths, *rules.Finding) *sarif.Result, repoRoot string) error {
	type batch struct {
		out []byte
		err error
	}
	n := (len(fs) + resultBatch - 1) / resultBatch
	workers := min(runtime.GOMAXPROCS(0), n)
	done := make([]chan batch, n)
	for i := range done {
		done[i] = make(chan batch, 1)
	}
	next := make(chan int)
	window := make(chan struct{}, 2*workers) // batches encoded but not yet written
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(next)
		for b := 0; b < n; b++ {
			select {
			case window <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- b:
			case <-stop:
				return
			}
		}
	}()
	for k := 0; k < workers; k++ {
		go func() {
			p := newPaths(repoRoot)
			var enc resultEncoder
			for b := range next {
				var buf bytes.Buffer
				var err error
				for i := b * resultBatch; i < min(len(fs), (b+1)*resultBatch) && err == nil; i++ {
					if i > 0 {
						buf.WriteByte(',')
					}
					buf.WriteString("\n" + resultIndent)
					err = enc.write(&buf, build(p, fs[i]))
				}
				done[b] <- batch{buf.Bytes(), err}
			}
		}()
	}
	for b := 0; b < n; b++ {
		r := <-done[b]
		if r.err != nil {
			return r.err
		}
		if _, err := w.Write(r.out); err != nil {
			return err
		}
		<-window
	}
	return nil
}

// resultsMark is the empty results array of the indented log, and
// resultIndent the indentation of a result in it (runs[0].results[i]).
const (
	resultsMark  = "\n      \"results\": []"
	resultIndent = "        "
)

// resultEncoder writes results as they appear in the indented, tidied log,
// reusing its buffers from one result to the next.
type resultEncoder struct {
	tidy []byte
	out  bytes.Buffer
}

func (e *resultEncoder) write(w io.Writer, res *sarif.Result) error {
	raw, err := json.Marshal(res)
	if err != nil {
		return err
	}
	e.tidy = tidyCompact(e.tidy[:0], raw)
	e.out.Reset()
	if err := json.Indent(&e.out, e.tidy, resultIndent, "  "); err != nil {
		return fmt.Errorf("report: post-process SARIF: %w", err)
	}
	_, err = w.Write(e.out.Bytes())
	return err
}

// sarifRules returns the enabled rules plus any rule a finding names,
// deduplicated and sorted by id.
func sarifRules(enabled []*rules.Rule, fs []*rules.Finding) []*rules.Rule {
	seen := map[string]bool{}
	var out []*rules.Rule
	add := func(r *rules.Rule) {
		if r == nil || r.Analyzer == nil || seen[r.ID()] {
			return
		}
		seen[r.ID()] = true
		out = append(out, r)
	}
	for _, r := range enabled {
		add(r)
	}
	for _, f := range fs {
		add(f.Rule)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out
}

func addRule(run *sarif.Run, r *rules.Rule) {
	rd := run.AddRule(r.ID())
	if n := r.Name(); n != "" && n != r.ID() {
		rd.WithName(n)
	}
	short := limit(sentence(r.Title()), maxDescription)
	if short == "" {
		short = r.ID()
	}
	rd.WithShortDescription(sarif.NewMultiformatMessageString(short))
	full := limit(strings.Join(paragraphs(r.Text()), "\n\n"), maxDescription)
	if full == "" {
		full = short
	}
	rd.WithFullDescription(sarif.NewMultiformatMessageString(full))
	rd.WithHelp(sarif.NewMultiformatMessageString(helpText(r)).WithMarkdown(helpMarkdown(r)))
	rd.WithHelpURI(helpURI(r))
	rd.WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(r.Severity.Level()))
	rd.WithProperties(sarif.Properties{
		"tags":              tags(r),
		"precision":         precision(r),
		"security-severity": r.Severity.SecuritySeverity(),
	})
}

var cweNumber = regexp.MustCompile(`(?i)^cwe-?(\d+)$`)

// tags are the rule's filter tags: security (needed for security-severity),
// the platform, and its CWEs as external/cwe/cwe-NNN; at most 10.
func tags(r *rules.Rule) []string {
	out := []string{"security", "iam", "aws", "cloudformation", "cdk"}
	for _, c := range r.CWE {
		m := cweNumber.FindStringSubmatch(strings.TrimSpace(c))
		if m == nil {
			continue
		}
		t := "external/cwe/cwe-" + m[1]
		dup := false
		for _, o := range out {
			dup = dup || o == t
		}
		if !dup {
			out = append(out, t)
		}
	}
	if len(out) > maxTags {
		out = out[:maxTags]
	}
	return out
}

// maxFlow bounds the locations of a code flow (S-1).
const maxFlow = 10

func sarifResult(p *paths, f *rules.Finding, codeFlows bool) *sarif.Result {
	r := f.Rule
	tmpl := templateLoc(f)
	tr := p.rel(tmpl.Path)
	pl := p.primary(f)
	frames := p.frameLocs(f)
	res := sarif.NewRuleResult(r.ID()).WithLevel(f.Severity.Level())

	// id 1: the synthesized template; then the construct-trace frames
	// (parent constructs, nearest first); then the rule's related
	// locations; at most 10 in all (S-3.3).
	related := []*sarif.Location{
		sarifLocation(tr.rel, tmpl).WithId(1).WithDescriptionText(templateLinkText),
	}
	for _, fr := range frames {
		if len(related) == maxRelated {
			break
		}
		related = append(related, sarifLocation(p.rel(fr.Path).rel, fr).WithId(len(related)+1).WithDescriptionText(fr.Message))
	}
	var links []string
	for _, rl := range relatedLocs(f) {
		if len(related) == maxRelated {
			break
		}
		id := len(related) + 1
		msg := rl.Message
		if msg == "" {
			msg = "related location"
		}
		related = append(related, sarifLocation(p.rel(rl.Path).rel, rl).WithId(id).WithDescriptionText(msg))
		links = append(links, fmt.Sprintf("[%s](%d)", escapeLinkText(msg), id))
	}

	res.WithMessage(sarif.NewTextMessage(resultMessage(f, links)))
	res.AddLocation(sarifLocation(pl.rel, pl.loc))
	res.WithRelatedLocations(related)
	if codeFlows && pl.source == "source" {
		res.WithCodeFlows([]*sarif.CodeFlow{codeFlow(p, pl, frames)})
	}
	fp := fingerprint(f)
	res.WithPartialFingerPrints(map[string]any{"primaryLocationLineHash": fp, "iamvet/v1": fp})

	props := sarif.Properties{
		"iamvet/stack":          stackName(f.Stack),
		"iamvet/assembly":       f.Stack.Assembly,
		"iamvet/constructPath":  f.ConstructPath,
		"iamvet/logicalId":      f.LogicalID,
		"iamvet/resourceType":   f.ResourceType,
		"iamvet/templatePath":   tr.rel,
		"iamvet/jsonPointer":    f.JSONPointer,
		"iamvet/locationSource": pl.source,
	}
	if f.CDKInternal {
		props["iamvet/cdkInternal"] = true
	}
	res.Properties = props

	if s := f.Suppressed; s != nil {
		kind := "inSource"
		if s.Kind == "config" || s.Kind == "baseline" {
			kind = "external" // kept outside the template (S-4 --config, --baseline)
		}
		sup := sarif.NewSuppression(kind)
		if s.Reason != "" {
			sup.WithJustifcation(s.Reason)
		}
		sup.Properties = sarif.Properties{"iamvet/kind": s.Kind, "iamvet/id": s.ID}
		res.AddSuppression(sup)
	}
	return res
}

// codeFlow is the construct creation trace as one thread flow: from the
// outermost frame (the app entry) to the construct's creation site, at
// most maxFlow locations, all in the repository.
func codeFlow(p *paths, pl bestLoc, frames []rules.Location) *sarif.CodeFlow {
	var steps []*sarif.ThreadFlowLocation
	for i := len(frames) - 1; i >= 0; i-- {
		fr := frames[i]
		steps = append(steps, sarif.NewThreadFlowLocation().
			WithLocation(sarifLocation(p.rel(fr.Path).rel, fr).WithMessage(sarif.NewTextMessage(fr.Message))))
	}
	steps = append(steps, sarif.NewThreadFlowLocation().
		WithLocation(sarifLocation(pl.rel, pl.loc).WithMessage(sarif.NewTextMessage("construct created here"))))
	if len(steps) > maxFlow {
		steps = steps[len(steps)-maxFlow:]
	}
	return sarif.NewCodeFlow().
		WithTextMessage("construct creation trace, from the app entry to the construct").
		WithThreadFlows([]*sarif.ThreadFlow{sarif.NewThreadFlow().WithLocations(steps)})
}

// unknownURI stands for a finding without any template path (never produced
// by the driver): GitHub rejects a whole upload for one location without an
// artifact location.
const unknownURI = "unknown-template"

func sarifLocation(uri string, l rules.Location) *sarif.Location {
	if uri == "" {
		uri = unknownURI
	}
	rg := regionOf(l)
	return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(uriEncode(uri)).WithUriBaseId("%SRCROOT%")).
		WithRegion(sarif.NewRegion().
			WithStartLine(rg.StartLine).WithStartColumn(rg.StartColumn).
			WithEndLine(rg.EndLine).WithEndColumn(rg.EndColumn)))
}

// resultMessage is the S-3.4 message: the finding as a sentence that stands
// alone, then where it is, then links to the related locations.
func resultMessage(f *rules.Finding, links []string) string {
	parts := []string{sentence(f.Message)}
	if c := whereSentence(f); c != "" {
		parts = append(parts, c)
	}
	if f.CDKInternal && f.InternalNote != "" {
		parts = append(parts, sentence(f.InternalNote))
	}
	if len(links) > 0 {
		parts = append(parts, "Related: "+strings.Join(links, "; ")+".")
	}
	parts = append(parts, "See [synthesized template](1).")
	return strings.Join(parts, " ")
}

// whereSentence says where a finding is: "Construct ApiStack/Handler/ServiceRole
// (logical ID HandlerServiceRole1234, AWS::IAM::Role) in stack ApiStack."
func whereSentence(f *rules.Finding) string {
	var what []string
	if f.LogicalID != "" {
		what = append(what, "logical ID "+f.LogicalID)
	}
	if f.ResourceType != "" {
		what = append(what, f.ResourceType)
	}
	var b strings.Builder
	switch {
	case f.ConstructPath != "":
		b.WriteString("Construct " + strings.TrimSuffix(f.ConstructPath, "/Resource"))
		if len(what) > 0 {
			b.WriteString(" (" + strings.Join(what, ", ") + ")")
		}
	case f.LogicalID != "":
		b.WriteString("Resource " + f.LogicalID)
		if f.ResourceType != "" {
			b.WriteString(" (" + f.ResourceType + ")")
		}
	}
	if s := stackName(f.Stack); s != "" {
		if b.Len() == 0 {
			b.WriteString("In stack " + s)
		} else {
			b.WriteString(" in stack " + s)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString(".")
	return b.String()
}

// escapeLinkText escapes the characters SARIF reserves in embedded link
// text (SARIF 2.1.0 §3.11.6).
func escapeLinkText(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(s)
}

// limit shortens s to at most n runes, at a word boundary, with an ellipsis.
func limit(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	cut := string(rs[:n-1])
	if i := strings.LastIndexAny(cut, " \n"); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " \n.,;:") + "…"
}

var blankLine = regexp.MustCompile(`\n[ \t]*\n`)

// paragraphs reflows doc text: lines of a paragraph are joined with spaces
// (GitHub renders line breaks in help as hard breaks); list items and
// indented lines keep their own line.
func paragraphs(text string) []string {
	var out []string
	for _, para := range blankLine.Split(strings.TrimSpace(text), -1) {
		var b strings.Builder
		for i, line := range strings.Split(para, "\n") {
			trimmed := strings.TrimSpace(line)
			if trimmed == "" {
				continue
			}
			if i > 0 {
				if strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "* ") || strings.HasPrefix(line, "  ") {
					b.WriteString("\n")
				} else {
					b.WriteString(" ")
				}
			}
			if strings.HasPrefix(line, "  ") {
				b.WriteString(strings.TrimRight(line, " \t"))
			} else {
				b.WriteString(trimmed)
			}
		}
		if b.Len() > 0 {
			out = append(out, b.String())
		}
	}
	return out
}

// markdownEscape escapes prose so GitHub renders it literally ("*" in IAM
// text would otherwise start emphasis).
var markdownEscape = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`, "`", "\\`")

var cfnNagID = regexp.MustCompile(`^[FW]\d+$`)

// peerTool names the tool a peer id belongs to.
func peerTool(id string) string {
	switch {
	case strings.HasPrefix(id, "AwsSolutions-"), strings.HasPrefix(id, "HIPAA.Security-"),
		strings.HasPrefix(id, "NIST."), strings.HasPrefix(id, "PCI.DSS."), strings.HasPrefix(id, "Serverless-"):
		return "cdk-nag"
	case strings.HasPrefix(id, "CKV_"), strings.HasPrefix(id, "CKV2_"):
		return "Checkov"
	case cfnNagID.MatchString(id):
		return "cfn_nag"
	}
	return ""
}

func aliasList(r *rules.Rule) string {
	var parts []string
	for _, a := range r.Aliases {
		if t := peerTool(a); t != "" {
			parts = append(parts, a+" ("+t+")")
		} else {
			parts = append(parts, a)
		}
	}
	return strings.Join(parts, ", ")
}

func suppressSnippet(id string) string {
	return "(construct.node.defaultChild as cdk.CfnResource).addMetadata('iamvet', {\n" +
		"  suppress: [{ id: '" + id + "', reason: 'why this is an accepted risk' }],\n" +
		"});"
}

func severityLine(r *rules.Rule) string {
	return fmt.Sprintf("Default severity: %s (security-severity %s, precision %s).",
		r.Severity, r.Severity.SecuritySeverity(), precision(r))
}

// helpText is the rule help as plain text.
func helpText(r *rules.Rule) string {
	var b strings.Builder
	b.WriteString(sentence(r.Title()))
	for _, p := range paragraphs(r.Text()) {
		b.WriteString("\n\n" + p)
	}
	if r.Bad != "" {
		b.WriteString("\n\nFlagged (CDK, TypeScript):\n" + indent(r.Bad))
	}
	if r.Good != "" {
		b.WriteString("\n\nPreferred:\n" + indent(r.Good))
	}
	if r.Fix != "" {
		b.WriteString("\n\nHow to fix: " + r.Fix)
	}
	b.WriteString("\n\nTo accept the risk, suppress the finding on the resource with a reason:\n" + indent(suppressSnippet(r.ID())))
	if len(r.Aliases) > 0 {
		b.WriteString("\n\nSame check in other tools (their suppressions apply too): " + aliasList(r) + ".")
	}
	b.WriteString("\n\n" + severityLine(r))
	b.WriteString("\n\nDocumentation: " + helpURI(r))
	return b.String()
}

// RuleMarkdown is a rule's full documentation in Markdown: the SARIF
// help.markdown, `iamvet explain` and docs/rules/<ID>.md all use it.
func RuleMarkdown(r *rules.Rule) string { return helpMarkdown(r) }

// helpMarkdown is the rule help GitHub shows: why, a bad and a good CDK
// snippet, the fix, how to suppress, and the peer ids.
func helpMarkdown(r *rules.Rule) string {
	var b strings.Builder
	b.WriteString("**" + markdownEscape.Replace(sentence(r.Title())) + "**")
	for _, p := range paragraphs(r.Text()) {
		b.WriteString("\n\n" + markdownEscape.Replace(p))
	}
	if r.Bad != "" || r.Good != "" {
		b.WriteString("\n\n#### Example")
		if r.Bad != "" {
			b.WriteString("\n\nFlagged (CDK, TypeScript):\n\n```ts\n" + r.Bad + "\n```")
		}
		if r.Good != "" {
			b.WriteString("\n\nPreferred:\n\n```ts\n" + r.Good + "\n```")
		}
	}
	if r.CFN != "" {
		b.WriteString("\n\nCloudFormation this rule flags (from its test fixture):\n\n```yaml\n" + strings.TrimRight(r.CFN, "\n") + "\n```")
	}
	if r.Fix != "" {
		b.WriteString("\n\n#### How to fix\n\n" + markdownEscape.Replace(r.Fix))
	}
	b.WriteString("\n\n#### Suppressing a finding\n\nIf the finding is an accepted risk, add `iamvet` metadata with a reason to the resource:\n\n```ts\n" +
		suppressSnippet(r.ID()) + "\n```")
	if len(r.Aliases) > 0 {
		b.WriteString("\n\nSame check in other tools (their suppressions apply too): " + markdownEscape.Replace(aliasList(r)) + ".")
	}
	b.WriteString("\n\n" + markdownEscape.Replace(severityLine(r)))
	b.WriteString("\n\n[" + r.ID() + " documentation](" + helpURI(r) + ")")
	return b.String()
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// tidyJSON re-emits marshalled JSON with object members whose value is null
// dropped, strings without HTML escaping, 2-space indentation and a final
// newline. Member order is kept, so the result is as deterministic as the
// input.
func tidyJSON(in []byte) ([]byte, error) {
	var compact bytes.Buffer
	compact.Grow(len(in))
	if err := json.Compact(&compact, in); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Grow(len(in))
	if err := json.Indent(&out, tidyCompact(nil, compact.Bytes()), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// tidyCompact appends src, valid compact JSON (json.Marshal's output), to
// dst with object members whose value is null dropped and strings as an
// encoder with SetEscapeHTML(false) writes them: json.Marshal's \u003c,
// \u003e and \u0026 become <, > and &, and its \ufffd (for invalid UTF-8)
// becomes the character itself; every other escape stays as it is.
func tidyCompact(dst, src []byte) []byte {
	t := tidier{src: src, out: dst}
	t.value()
	return t.out
}

type tidier struct {
	src []byte
	i   int
	out []byte
}

func (t *tidier) value() {
	switch t.src[t.i] {
	case '{':
		t.object()
	case '[':
		t.array()
	case '"':
		t.str()
	default: // number, true, false, null
		j := t.i
		for j < len(t.src) && t.src[j] != ',' && t.src[j] != ']' && t.src[j] != '}' {
			j++
		}
		t.out = append(t.out, t.src[t.i:j]...)
		t.i = j
	}
}

func (t *tidier) object() {
	t.out = append(t.out, '{')
	t.i++
	first := true
	for t.src[t.i] != '}' {
		key := t.i
		v := skipString(t.src, key) + 2 // the value, after the colon
		if rest := t.src[v:]; len(rest) >= 5 && string(rest[:4]) == "null" && (rest[4] == ',' || rest[4] == '}') {
			t.i = v + 4 // a null member: SARIF never needs one
		} else {
			if !first {
				t.out = append(t.out, ',')
			}
			first = false
			t.str()
			t.out = append(t.out, ':')
			t.i = v
			t.value()
		}
		if t.src[t.i] == ',' {
			t.i++
		}
	}
	t.i++
	t.out = append(t.out, '}')
}

func (t *tidier) array() {
	t.out = append(t.out, '[')
	t.i++
	for t.src[t.i] != ']' {
		t.value()
		if t.src[t.i] == ',' {
			t.out = append(t.out, ',')
			t.i++
		}
	}
	t.i++
	t.out = append(t.out, ']')
}

// str copies the string at t.i.
func (t *tidier) str() {
	s := t.src
	i := t.i + 1
	t.out = append(t.out, '"')
	for {
		j := i
		for j < len(s) && s[j] != '"' && s[j] != '\\' {
			j++
		}
		t.out = append(t.out, s[i:j]...)
		if s[j] == '"' {
			t.out = append(t.out, '"')
			t.i = j + 1
			return
		}
		if s[j+1] == 'u' {
			switch string(s[j+2 : j+6]) {
			case "003c":
				t.out = append(t.out, '<')
			case "003e":
				t.out = append(t.out, '>')
			case "0026":
				t.out = append(t.out, '&')
			case "fffd":
				t.out = append(t.out, "\ufffd"...)
			default:
				t.out = append(t.out, s[j:j+6]...)
			}
			i = j + 6
			continue
		}
		t.out = append(t.out, s[j:j+2]...)
		i = j + 2
	}
}

// skipString returns the index of the closing quote of the string at i.
func skipString(s []byte, i int) int {
	for i++; ; i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
}
