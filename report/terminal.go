package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/iamvet/iamvet/rules"
)

// ShowInternalFlag is the flag the terminal output names for showing
// findings on CDK-internal constructs.
const ShowInternalFlag = "--show-internal"

// TerminalOptions control the terminal output.
type TerminalOptions struct {
	// Color enables ANSI colours (resolve it with ColorEnabled).
	Color bool
	// ShowInternal lists findings on CDK-internal constructs (hidden by
	// default, with a line saying how many).
	ShowInternal bool
	// Verbose adds the fix, the CDK-internal note and related locations.
	Verbose bool
}

// palette holds one writer's colours: created per call and switched on or
// off explicitly, never through fatih/color's global NoColor.
type palette struct {
	sev                                  map[rules.Severity]*color.Color
	bold, dim, errc, note, faintSeverity *color.Color
}

func newPalette(on bool) *palette {
	p := &palette{
		sev: map[rules.Severity]*color.Color{
			rules.Critical: color.New(color.FgMagenta, color.Bold),
			rules.High:     color.New(color.FgRed),
			rules.Medium:   color.New(color.FgYellow),
			rules.Low:      color.New(color.FgCyan),
		},
		bold:          color.New(color.Bold),
		dim:           color.New(color.Faint),
		errc:          color.New(color.FgRed),
		note:          color.New(color.FgYellow),
		faintSeverity: color.New(color.Faint),
	}
	all := []*color.Color{p.bold, p.dim, p.errc, p.note, p.faintSeverity}
	for _, c := range p.sev {
		all = append(all, c)
	}
	for _, c := range all {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

// WriteTerminal writes findings for people: load errors first, then the
// findings grouped by stack and construct path (groups in the order their
// first finding appears, findings in input order), then notes and a
// summary line.
func WriteTerminal(w io.Writer, in *Input, opt TerminalOptions) error {
	fs := listed(in)
	if err := checkFindings(fs); err != nil {
		return err
	}
	pal := newPalette(opt.Color)
	paths := newPaths(in.RepoRoot)
	var b strings.Builder

	for _, e := range in.Errors {
		b.WriteString(pal.errc.Sprint("error: "+e.String()) + "\n")
	}

	hidden := 0
	var shown []*rules.Finding
	for _, f := range fs {
		if f.CDKInternal && !opt.ShowInternal {
			hidden++
			continue
		}
		shown = append(shown, f)
	}

	for _, sg := range groupByStack(shown) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		header := pal.bold.Sprint(stackName(sg.stack))
		if rel := paths.rel(sg.stack.TemplatePath).rel; rel != "" {
			header += "  " + pal.dim.Sprint(rel)
		}
		b.WriteString(header + "\n")
		for _, cg := range sg.constructs {
			b.WriteString("  " + constructHeader(pal, cg[0]) + "\n")
			for _, f := range cg {
				writeFinding(&b, pal, paths, f, opt)
			}
		}
	}

	if len(in.Notifications) > 0 || hidden > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		for _, n := range in.Notifications {
			b.WriteString(pal.note.Sprint("note:") + " " + n + "\n")
		}
		if hidden > 0 {
			fmt.Fprintf(&b, "%s on CDK-internal constructs hidden; show them with %s\n", plural(hidden, "finding"), ShowInternalFlag)
		}
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	b.WriteString(summaryLine(in) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

const sevWidth = len("critical")

func writeFinding(b *strings.Builder, pal *palette, paths *paths, f *rules.Finding, opt TerminalOptions) {
	word := fmt.Sprintf("%-*s", sevWidth, f.Severity.String())
	if c, ok := pal.sev[f.Severity]; ok && f.Suppressed == nil {
		word = c.Sprint(word)
	} else {
		word = pal.faintSeverity.Sprint(word)
	}
	pad := strings.Repeat(" ", 4+sevWidth+2)
	fmt.Fprintf(b, "    %s  %s  %s\n", word, f.Rule.ID(), f.Message)
	pl := paths.primary(f)
	b.WriteString(pad + position(paths, pl.loc) + "\n")
	if s := f.Suppressed; s != nil {
		note := "suppressed (" + s.Kind
		if s.ID != "" {
			note += " " + s.ID
		}
		note += ")"
		if s.Reason != "" {
			note += ": " + s.Reason
		}
		b.WriteString(pad + pal.dim.Sprint(note) + "\n")
	}
	if !opt.Verbose {
		return
	}
	if f.CDKInternal && f.InternalNote != "" {
		b.WriteString(pad + pal.dim.Sprint("internal: "+f.InternalNote) + "\n")
	}
	if tmpl := templateLoc(f); pl.loc.Path != tmpl.Path {
		b.WriteString(pad + pal.dim.Sprint("template: "+position(paths, tmpl)) + "\n")
	}
	for _, fr := range paths.frameLocs(f) {
		b.WriteString(pad + pal.dim.Sprint("trace: "+position(paths, fr)+" "+fr.Message) + "\n")
	}
	for _, rl := range relatedLocs(f) {
		line := "related: " + position(paths, rl)
		if rl.Message != "" {
			line += " " + rl.Message
		}
		b.WriteString(pad + pal.dim.Sprint(line) + "\n")
	}
	if f.Rule.Fix != "" {
		b.WriteString(pad + pal.dim.Sprint("fix: "+f.Rule.Fix) + "\n")
	}
}

// position renders a location as path:line:col.
func position(paths *paths, l rules.Location) string {
	r := regionOf(l)
	path := paths.rel(l.Path).rel
	if path == "" {
		path = "-"
	}
	return fmt.Sprintf("%s:%d:%d", path, r.StartLine, r.StartColumn)
}

func constructHeader(pal *palette, f *rules.Finding) string {
	var what []string
	if f.ResourceType != "" {
		what = append(what, f.ResourceType)
	}
	name := f.ConstructPath
	switch {
	case name != "" && f.LogicalID != "":
		what = append(what, f.LogicalID)
	case name == "" && f.LogicalID != "":
		name = f.LogicalID
	case name == "":
		name = "(template)"
	}
	if len(what) == 0 {
		return name
	}
	return name + "  " + pal.dim.Sprint(strings.Join(what, " "))
}

type stackGroup struct {
	stack      rules.StackRef
	constructs [][]*rules.Finding
}

// groupByStack groups findings by stack, then by construct path (or
// logical ID); groups appear in the order of their first finding.
func groupByStack(fs []*rules.Finding) []*stackGroup {
	var out []*stackGroup
	stacks := map[string]*stackGroup{}
	index := map[string]int{} // stack key + construct key → index in constructs
	for _, f := range fs {
		sk := f.Stack.Assembly + "\x00" + f.Stack.ArtifactID + "\x00" + f.Stack.TemplatePath
		sg, ok := stacks[sk]
		if !ok {
			sg = &stackGroup{stack: f.Stack}
			stacks[sk] = sg
			out = append(out, sg)
		}
		ck := sk + "\x00" + f.ConstructPath + "\x00" + f.LogicalID
		i, ok := index[ck]
		if !ok {
			i = len(sg.constructs)
			index[ck] = i
			sg.constructs = append(sg.constructs, nil)
		}
		sg.constructs[i] = append(sg.constructs[i], f)
	}
	return out
}

// summaryLine is "N findings (x critical, y high, …) in M stacks; K
// suppressed; exit reason".
func summaryLine(in *Input) string {
	var b strings.Builder
	b.WriteString(plural(len(in.Findings), "finding"))
	counts := bySeverity(in.Findings)
	var parts []string
	for _, s := range rules.Severities {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	fmt.Fprintf(&b, " in %s; %d suppressed; %s", plural(len(in.Stacks), "stack"), len(in.Suppressed), exitReason(in))
	return b.String()
}

func exitReason(in *Input) string {
	if len(in.Errors) > 0 {
		return "exit 2: " + plural(len(in.Errors), "load error")
	}
	if in.FailOn <= 0 {
		return "exit 0: --fail-on none"
	}
	if n := Blocking(in); n > 0 {
		return fmt.Sprintf("exit 1: %s at or above %s", plural(n, "finding"), in.FailOn)
	}
	return "exit 0: no findings at or above " + in.FailOn.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
