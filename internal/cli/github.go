package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/iamvet/iamvet/internal/graph"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/report"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// githubMode resolves --annotations/--summary: auto means on inside GitHub
// Actions (GITHUB_ACTIONS=true).
func githubMode(flagName, v string) (bool, error) {
	switch v {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto", "":
		return os.Getenv("GITHUB_ACTIONS") == "true", nil
	}
	return false, fmt.Errorf("--%s %q: want auto, always or never", flagName, v)
}

// writeGitHub writes workflow annotations to w and appends the Markdown job
// summary (with a Mermaid picture of the riskiest principals) to
// $GITHUB_STEP_SUMMARY. Failures are warnings: they never change the exit
// code.
func writeGitHub(w, stderr io.Writer, in *report.Input, stacks []*loader.Stack, annotations, summary, showInternal bool) {
	if annotations {
		if err := report.WriteAnnotations(w, in, report.AnnotationOptions{ShowInternal: showInternal}); err != nil {
			fmt.Fprintf(stderr, "iamvet: annotations: %v\n", err)
		}
	}
	if !summary {
		return
	}
	path := os.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		fmt.Fprintln(stderr, "iamvet: warning: --summary: GITHUB_STEP_SUMMARY is not set; no job summary written")
		return
	}
	opt := report.SummaryOptionsFromEnv(os.Getenv)
	opt.ShowInternal = showInternal
	if len(stacks) > 0 {
		models := make([]*stackmodel.Model, len(stacks))
		for i, s := range stacks {
			models[i] = stackmodel.Build(s)
		}
		var buf bytes.Buffer
		if graph.Build(models).Mermaid(&buf) == nil {
			opt.Mermaid = buf.String()
		}
	}
	var buf bytes.Buffer
	if err := report.WriteJobSummary(&buf, in, opt); err != nil {
		fmt.Fprintf(stderr, "iamvet: job summary: %v\n", err)
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintf(stderr, "iamvet: job summary: %v\n", err)
		return
	}
	defer f.Close()
	if _, err := f.Write(buf.Bytes()); err != nil {
		fmt.Fprintf(stderr, "iamvet: job summary: %v\n", err)
	}
}
