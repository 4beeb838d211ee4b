package graph

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/iamvet/iamvet/rules/iam066/exposure"
)

// Limits of the Mermaid output. GitHub renders Mermaid blocks in Markdown,
// issues and job summaries with Mermaid's defaults: diagrams over 50,000
// characters (maxTextSize) or 500 edges (maxEdges) are refused. Mermaid
// draws at most DefaultMaxPrincipals principals, riskiest first, and fewer
// when the text would exceed MaxMermaidBytes or MaxMermaidEdges.
const (
	DefaultMaxPrincipals = 40
	MaxMermaidBytes      = 40000
	MaxMermaidEdges      = 400
)

// view is the part of the graph one drawing shows.
type view struct {
	stacks    []stackView
	externals []*Node
	edges     []*Edge
	shown     int
	hidden    int
}

type stackView struct {
	s     *Stack
	nodes []*Node // principals, then local nodes
}

// selectView keeps the max riskiest principals (max <= 0: all), the
// nodes their edges reach and those edges, in graph order.
func (g *Graph) selectView(max int) view {
	all := ranked(g)
	keep := map[*Node]bool{}
	for i, n := range all {
		if max > 0 && i >= max {
			break
		}
		keep[n] = true
	}
	v := view{shown: len(keep), hidden: len(all) - len(keep)}
	used := map[*Node]bool{}
	for _, e := range g.Edges {
		if !visible(e.From, keep) || !visible(e.To, keep) {
			continue
		}
		if !keep[e.From] && !keep[e.To] {
			continue
		}
		v.edges = append(v.edges, e)
		used[e.From], used[e.To] = true, true
	}
	for _, s := range g.Stacks {
		sv := stackView{s: s}
		for _, n := range s.Principals {
			if keep[n] {
				sv.nodes = append(sv.nodes, n)
			}
		}
		if len(sv.nodes) == 0 {
			continue
		}
		for _, n := range s.Local {
			if used[n] {
				sv.nodes = append(sv.nodes, n)
			}
		}
		v.stacks = append(v.stacks, sv)
	}
	for _, n := range g.Nodes {
		if n.Stack == nil && used[n] {
			v.externals = append(v.externals, n)
		}
	}
	return v
}

// visible reports whether a node can be drawn: principals only when kept.
func visible(n *Node, keep map[*Node]bool) bool {
	return !n.IsPrincipal() || keep[n]
}

// Mermaid writes the graph as a Mermaid flowchart (left to right, a
// subgraph per stack, risky edges red). It draws at most MaxPrincipals
// principals (DefaultMaxPrincipals when 0), riskiest first, and fewer if
// the text would be too large for GitHub to render; a note says how many
// were left out.
func (g *Graph) Mermaid(w io.Writer) error {
	max := g.MaxPrincipals
	if max <= 0 {
		max = DefaultMaxPrincipals
	}
	var buf bytes.Buffer
	for {
		buf.Reset()
		v := g.selectView(max)
		writeMermaid(&buf, v)
		if (buf.Len() <= MaxMermaidBytes && len(v.edges) <= MaxMermaidEdges) || max <= 1 {
			break
		}
		max = max * 3 / 4
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// mermaidText escapes a label for a double-quoted Mermaid string.
var mermaidText = strings.NewReplacer(
	"#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "`", "#96;", "|", "#124;",
	"\n", " ", "\r", " ",
).Replace

func mermaidShape(n *Node) (string, string) {
	switch n.Kind {
	case Group:
		return "[[", "]]"
	case Capability:
		return "{{", "}}"
	case Role, User:
		return "[", "]"
	}
	return "([", "])"
}

func nodeLabel(n *Node) string {
	l := n.Label
	if n.Internal != "" {
		l += " (CDK internal)"
	}
	return l
}

// nodeClass is the style class of a node.
func nodeClass(n *Node) string {
	switch {
	case n.IsPrincipal() && n.Risky:
		return "risky"
	case n.IsPrincipal() && n.Exposure > exposure.NotExposed:
		return "exposed"
	case n.IsPrincipal() && n.Internal != "":
		return "internal"
	case n.IsPrincipal():
		return ""
	case n.Kind == Capability && n.Level.Privileged():
		return "privileged"
	case n.Kind == Capability:
		return "capability"
	case n.Kind == Public:
		return "public"
	}
	return "outside"
}

var mermaidClasses = []struct{ name, style string }{
	{"risky", "fill:#ffebe9,stroke:#cf222e,stroke-width:3px,color:#1f2328"},
	{"exposed", "fill:#fff8c5,stroke:#9a6700,color:#1f2328"},
	{"internal", "fill:#f6f8fa,stroke:#8c959f,color:#57606a"},
	{"privileged", "fill:#ffebe9,stroke:#cf222e,color:#1f2328"},
	{"capability", "fill:#fbefff,stroke:#8250df,color:#1f2328"},
	{"public", "fill:#ffebe9,stroke:#cf222e,color:#1f2328"},
	{"outside", "fill:#ddf4ff,stroke:#0969da,color:#1f2328"},
	{"note", "fill:#ffffff,stroke:#8c959f,stroke-dasharray:3 3,color:#57606a"},
}

func writeMermaid(buf *bytes.Buffer, v view) {
	bw := bufio.NewWriter(buf)
	defer bw.Flush()
	fmt.Fprintln(bw, "flowchart LR")
	if v.hidden > 0 {
		fmt.Fprintf(bw, "  %%%% %d of %d principals shown, riskiest first\n", v.shown, v.shown+v.hidden)
	}
	classes := map[string][]string{}
	def := func(indent string, n *Node) {
		open, close := mermaidShape(n)
		fmt.Fprintf(bw, "%s%s%s\"%s\"%s\n", indent, n.ID, open, mermaidText(nodeLabel(n)), close)
		if c := nodeClass(n); c != "" {
			classes[c] = append(classes[c], n.ID)
		}
	}
	for _, sv := range v.stacks {
		fmt.Fprintf(bw, "  subgraph %s[\"%s\"]\n", sv.s.ID, mermaidText(sv.s.Name))
		for _, n := range sv.nodes {
			def("    ", n)
		}
		fmt.Fprintln(bw, "  end")
	}
	for _, n := range v.externals {
		def("  ", n)
	}
	if v.hidden > 0 {
		fmt.Fprintf(bw, "  more[\"%s\"]\n", mermaidText(fmt.Sprintf("%d more principals not shown (less risky)", v.hidden)))
		classes["note"] = append(classes["note"], "more")
	}
	var risky, exposed []string
	for i, e := range v.edges {
		arrow := "-->"
		switch {
		case e.Risky:
			arrow = "==>"
			risky = append(risky, itoa(i))
		case e.Kind == CanAssume && e.Exposure > exposure.NotExposed:
			arrow = "-.->"
			exposed = append(exposed, itoa(i))
		}
		label := e.Label
		if e.Kind == MemberOf {
			label = "member of"
		}
		if label != "" {
			fmt.Fprintf(bw, "  %s %s|\"%s\"| %s\n", e.From.ID, arrow, mermaidText(label), e.To.ID)
		} else {
			fmt.Fprintf(bw, "  %s %s %s\n", e.From.ID, arrow, e.To.ID)
		}
	}
	for _, c := range mermaidClasses {
		if len(classes[c.name]) == 0 {
			continue
		}
		fmt.Fprintf(bw, "  classDef %s %s\n", c.name, c.style)
		ids := classes[c.name]
		sort.Strings(ids)
		fmt.Fprintf(bw, "  class %s %s\n", strings.Join(ids, ","), c.name)
	}
	if len(risky) > 0 {
		fmt.Fprintf(bw, "  linkStyle %s stroke:#cf222e,stroke-width:3px,color:#cf222e\n", strings.Join(risky, ","))
	}
	if len(exposed) > 0 {
		fmt.Fprintf(bw, "  linkStyle %s stroke:#9a6700,color:#9a6700\n", strings.Join(exposed, ","))
	}
}

// dotText escapes a label for a double-quoted Graphviz string.
var dotText = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "").Replace

var dotStyles = map[string]string{
	"risky":      `fillcolor="#ffebe9", color="#cf222e", penwidth=2`,
	"exposed":    `fillcolor="#fff8c5", color="#9a6700"`,
	"internal":   `fillcolor="#f6f8fa", color="#8c959f", fontcolor="#57606a"`,
	"privileged": `fillcolor="#ffebe9", color="#cf222e"`,
	"capability": `fillcolor="#fbefff", color="#8250df"`,
	"public":     `fillcolor="#ffebe9", color="#cf222e"`,
	"outside":    `fillcolor="#ddf4ff", color="#0969da"`,
	"":           `fillcolor="#ffffff"`,
}

func dotShape(n *Node) string {
	switch n.Kind {
	case Role, User:
		return "box"
	case Group:
		return "box3d"
	case Capability:
		return "hexagon"
	}
	return "ellipse"
}

// Dot writes the graph in Graphviz's DOT language (a cluster per stack,
// risky edges red and bold). It draws every principal unless MaxPrincipals
// is set.
func (g *Graph) Dot(w io.Writer) error {
	v := g.selectView(g.MaxPrincipals)
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "digraph iamvet {")
	fmt.Fprintln(bw, `  rankdir=LR;`)
	fmt.Fprintln(bw, `  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];`)
	fmt.Fprintln(bw, `  edge [fontname="Helvetica", fontsize=9];`)
	def := func(indent string, n *Node) {
		fmt.Fprintf(bw, "%s\"%s\" [label=\"%s\", shape=%s, %s];\n", indent, n.ID, dotText(nodeLabel(n)), dotShape(n), dotStyles[nodeClass(n)])
	}
	for _, sv := range v.stacks {
		fmt.Fprintf(bw, "  subgraph \"cluster_%s\" {\n    label=\"%s\";\n    style=\"rounded\";\n", sv.s.ID, dotText(sv.s.Name))
		for _, n := range sv.nodes {
			def("    ", n)
		}
		fmt.Fprintln(bw, "  }")
	}
	for _, n := range v.externals {
		def("  ", n)
	}
	if v.hidden > 0 {
		fmt.Fprintf(bw, "  \"more\" [label=\"%s\", shape=note, style=\"dashed\"];\n", dotText(fmt.Sprintf("%d more principals not shown (less risky)", v.hidden)))
	}
	for _, e := range v.edges {
		var attrs []string
		label := e.Label
		if e.Kind == MemberOf {
			label = "member of"
		}
		if label != "" {
			attrs = append(attrs, fmt.Sprintf("label=\"%s\"", dotText(label)))
		}
		switch {
		case e.Risky:
			attrs = append(attrs, `color="#cf222e"`, `fontcolor="#cf222e"`, "penwidth=3")
		case e.Kind == CanAssume && e.Exposure > exposure.NotExposed:
			attrs = append(attrs, `color="#9a6700"`, `fontcolor="#9a6700"`, "style=dashed")
		case e.Kind == HasPolicy:
			attrs = append(attrs, `color="#8250df"`)
		}
		fmt.Fprintf(bw, "  \"%s\" -> \"%s\"", e.From.ID, e.To.ID)
		if len(attrs) > 0 {
			fmt.Fprintf(bw, " [%s]", strings.Join(attrs, ", "))
		}
		fmt.Fprintln(bw, ";")
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

// mdCell escapes text for a GitHub Markdown table cell.
var mdCell = strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"\n", " ", "\r", "", "<", "&lt;", ">", "&gt;").Replace

// Markdown writes a job summary section: a table of the n riskiest
// principals (see Riskiest; n <= 0: 10) and the Mermaid diagram in a
// ```mermaid block, which GitHub renders in job summaries, issues and
// pull requests. It writes nothing when the graph has no principal.
func (g *Graph) Markdown(w io.Writer, n int) error {
	if n <= 0 {
		n = 10
	}
	principals := 0
	for _, s := range g.Stacks {
		principals += len(s.Principals)
	}
	if principals == 0 {
		return nil
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "### Who can assume what")
	fmt.Fprintln(bw)
	if top := Riskiest(g, n); len(top) > 0 {
		fmt.Fprintln(bw, "| Principal | Stack | Who can assume it | What it can do |")
		fmt.Fprintln(bw, "|---|---|---|---|")
		for _, p := range top {
			name := p.Label
			name = mdCell(name)
			if p.Risky {
				name = "**" + name + "** (exposed and privileged)"
			}
			who := p.Who
			if who == "" {
				who = "no outsider"
			}
			holds := p.Level.String()
			if p.Holds != "" {
				holds += " (" + p.Holds + ")"
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", name, mdCell(p.Stack.Name), mdCell(who), mdCell(holds))
		}
		fmt.Fprintln(bw)
	} else {
		fmt.Fprintf(bw, "No principal of the %d analyzed can be assumed from outside the account or holds privileged rights.\n\n", principals)
	}
	fmt.Fprintln(bw, "```mermaid")
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := g.Mermaid(w); err != nil {
		return err
	}
	_, err := io.WriteString(w, "```\n")
	return err
}
