package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/iamvet/iamvet/internal/graph"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// graphCmd prints who can assume which principal and what it can do, as a
// Mermaid flowchart or a Graphviz graph, risky edges marked.
func graphCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("iamvet graph", stderr)
	format := fs.String("format", "mermaid", "output `format`: mermaid or dot")
	max := fs.Int("max", 0, "draw at most `N` principals, riskiest first (default 40 for mermaid, all for dot)")
	stacks := fs.String("stacks", "", "only stacks matching these comma-separated `globs`")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitClean
		}
		return ExitError
	}
	if *format != "mermaid" && *format != "dot" {
		fmt.Fprintf(stderr, "iamvet graph: --format %q: want mermaid or dot\n", *format)
		return ExitError
	}
	res := loader.Load(paths, loader.Options{})
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "iamvet: error: %v\n", e)
	}
	if *stacks != "" {
		if res.Stacks, err = filterStacks(res.Stacks, *stacks); err != nil {
			fmt.Fprintf(stderr, "iamvet graph: --stacks: %v\n", err)
			return ExitError
		}
	}
	models := make([]*stackmodel.Model, len(res.Stacks))
	for i, s := range res.Stacks {
		models[i] = stackmodel.Build(s)
	}
	g := graph.Build(models)
	g.MaxPrincipals = *max
	if *format == "dot" {
		err = g.Dot(stdout)
	} else {
		err = g.Mermaid(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iamvet graph: %v\n", err)
		return ExitError
	}
	if len(res.Errors) > 0 {
		return ExitError
	}
	return ExitClean
}
