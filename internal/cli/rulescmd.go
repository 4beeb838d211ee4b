package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/iamvet/iamvet/report"
	"github.com/iamvet/iamvet/rules"
)

type ruleJSON struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Slug             string   `json:"slug"`
	Title            string   `json:"title"`
	Severity         string   `json:"severity"`
	SecuritySeverity string   `json:"securitySeverity"`
	Level            string   `json:"level"`
	Precision        string   `json:"precision"`
	Since            string   `json:"since"`
	Enabled          bool     `json:"enabled"`
	HelpURI          string   `json:"helpUri"`
	Aliases          []string `json:"aliases"`
}

func rulesCmd(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("iamvet rules", stderr)
	format := fs.String("format", "table", "output `format`: table, json or markdown")
	if _, err := parseInterspersed(fs, args); err != nil {
		return ExitError
	}
	all := rules.All()
	switch *format {
	case "table":
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tSLUG\tTITLE")
		for _, r := range all {
			name := r.Slug
			if r.Disabled {
				name += " (off by default)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID(), r.Severity, name, r.Title())
		}
		return exitOn(tw.Flush(), stderr)
	case "json":
		out := make([]ruleJSON, 0, len(all))
		for _, r := range all {
			aliases := r.Aliases
			if aliases == nil {
				aliases = []string{}
			}
			out = append(out, ruleJSON{
				ID: r.ID(), Name: r.Name(), Slug: r.Slug, Title: r.Title(),
				Severity: r.Severity.String(), SecuritySeverity: r.Severity.SecuritySeverity(), Level: r.Severity.Level(),
				Precision: r.Precision, Since: r.Since, Enabled: !r.Disabled, HelpURI: r.Analyzer.URL, Aliases: aliases,
			})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return exitOn(enc.Encode(out), stderr)
	case "markdown":
		for i, r := range all {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprintf(stdout, "# %s %s\n\n%s\n", r.ID(), r.Slug, report.RuleMarkdown(r))
		}
		return ExitClean
	}
	fmt.Fprintf(stderr, "iamvet rules: --format %q: want table, json or markdown\n", *format)
	return ExitError
}

func exitOn(err error, stderr io.Writer) int {
	if err != nil {
		fmt.Fprintf(stderr, "iamvet: %v\n", err)
		return ExitError
	}
	return ExitClean
}

func explainCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: iamvet explain ID")
		return ExitError
	}
	r := rules.Lookup(args[0])
	if r == nil {
		fmt.Fprintf(stderr, "iamvet explain: unknown rule %s (see iamvet rules)\n", args[0])
		return ExitError
	}
	fmt.Fprintf(stdout, "# %s %s\n\n%s\n", r.ID(), r.Slug, report.RuleMarkdown(r))
	return ExitClean
}
