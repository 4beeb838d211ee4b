// Package cli is iamvet's command line: flags, subcommands, wiring of
// loader → rules → report, and exit codes. cmd/iamvet only calls Main.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"path"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"github.com/iamvet/iamvet/internal/baseline"
	"github.com/iamvet/iamvet/internal/config"
	"github.com/iamvet/iamvet/internal/srcloc"
	"github.com/iamvet/iamvet/internal/suppress"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/report"
	"github.com/iamvet/iamvet/rules"
	_ "github.com/iamvet/iamvet/rules/all" // the rule registry
)

// Exit codes (INTEGRATION.md S-4).
const (
	ExitClean    = 0 // no reported finding at or above --fail-on
	ExitFindings = 1 // at least one finding at or above --fail-on
	ExitError    = 2 // usage, config or load error (wins over 1)
	ExitInternal = 3 // internal error (a rule panicked, a bug)
)

// Version is the iamvet version, set at release time with
// -ldflags "-X github.com/iamvet/iamvet/internal/cli.Version=0.4.2".
var Version = ""

func version() string {
	if Version != "" {
		return strings.TrimPrefix(Version, "v")
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "0.1.0-dev"
}

const usage = `iamvet checks the IAM in AWS CDK cloud assemblies (cdk.out) and CloudFormation
templates against AWS's IAM best practices.

Usage:
  iamvet [flags] [PATH ...]      PATH: cloud assembly dir (default ./cdk.out), template file or folder
  iamvet rules [--format table|json|markdown]
  iamvet explain ID
  iamvet graph [--format mermaid|dot] [PATH ...]
  iamvet version

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage/load error, 3 internal error.

Flags:
`

type options struct {
	format, output, sarifFile, jsonFile string
	failOn, minSeverity                 string
	rules, skipRules                    string
	color                               string
	noColor, showInternal, quiet, verb  bool
	includeSuppressed                   bool
	repoRoot, category                  string
	stacks                              string
	locationMode                        string
	locationFallback, codeFlows         bool
	pathMap                             mapFlag
	configFile, baselineFile            string
	writeBaseline                       string
	noPeer                              bool
	annotations, summary                string
	maxResults                          int
	maxTemplateSize                     int64
}

// Main runs iamvet with args (without the program name) and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "iamvet: internal error: %v\n%s", p, debug.Stack())
			code = ExitInternal
		}
	}()
	if len(args) > 0 {
		switch args[0] {
		case "rules":
			return rulesCmd(args[1:], stdout, stderr)
		case "explain":
			return explainCmd(args[1:], stdout, stderr)
		case "graph":
			return graphCmd(args[1:], stdout, stderr)
		case "version", "--version":
			fmt.Fprintf(stdout, "iamvet %s\n", version())
			return ExitClean
		}
	}
	return run(args, stdout, stderr)
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseInterspersed lets flags follow paths (iamvet cdk.out --format json).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := newFlagSet("iamvet", stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.format, "format", "terminal", "output `format` for stdout or --output: terminal, json or sarif")
	fs.StringVar(&o.format, "f", "terminal", "shorthand for --format")
	fs.StringVar(&o.output, "output", "", "write the --format output to `FILE` instead of stdout")
	fs.StringVar(&o.output, "o", "", "shorthand for --output")
	fs.StringVar(&o.sarifFile, "sarif", "", "also write SARIF to `FILE`")
	fs.StringVar(&o.jsonFile, "json", "", "also write JSON to `FILE`")
	fs.StringVar(&o.failOn, "fail-on", "low", "exit 1 when a finding is at or above `severity`: none, low, medium, high, critical")
	fs.StringVar(&o.minSeverity, "min-severity", "low", "drop findings below `severity` everywhere")
	fs.StringVar(&o.rules, "rules", "", "comma-separated rule `ids` to run (default: all enabled)")
	fs.StringVar(&o.skipRules, "skip-rules", "", "comma-separated rule `ids` to skip")
	fs.StringVar(&o.color, "color", "auto", "colour terminal output: auto, always or never (NO_COLOR is honoured)")
	fs.BoolVar(&o.noColor, "no-color", false, "same as --color never")
	fs.BoolVar(&o.showInternal, "show-internal", false, "show findings on CDK-internal constructs in the terminal")
	fs.BoolVar(&o.includeSuppressed, "include-suppressed", false, "list suppressed findings too")
	fs.StringVar(&o.repoRoot, "repo-root", "", "repository root for SARIF paths (default: git top level, else the working directory)")
	fs.StringVar(&o.category, "category", "", "SARIF automationDetails category (only when not using upload-sarif's category)")
	fs.IntVar(&o.maxResults, "max-results", 5000, "maximum SARIF results")
	fs.StringVar(&o.locationMode, "location-mode", "auto", "where findings point: auto, source, template, app or generated")
	fs.BoolVar(&o.locationFallback, "location-fallback", false, "with a forced --location-mode, fall back to lower levels")
	fs.BoolVar(&o.codeFlows, "code-flows", false, "emit the construct creation trace as a SARIF code flow")
	fs.Var(&o.pathMap, "path-map", "`FROM=TO` rewrite of trace path prefixes (synth ran in another directory); repeatable")
	fs.StringVar(&o.configFile, "config", "", "configuration `FILE` (default: .iamvet.yaml at the repository root, if present)")
	fs.StringVar(&o.baselineFile, "baseline", "", "report only findings not in this earlier iamvet JSON, SARIF or baseline `FILE`")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "write the fingerprints of this run's findings to `FILE` (a baseline for --baseline)")
	fs.BoolVar(&o.noPeer, "no-peer-suppressions", false, "ignore cdk-nag, cfn_nag, checkov and CDK acknowledgement suppressions (iamvet's own still apply)")
	fs.StringVar(&o.annotations, "annotations", "auto", "GitHub workflow annotations on stderr: auto (on when GITHUB_ACTIONS=true), always or never")
	fs.StringVar(&o.summary, "summary", "auto", "append a Markdown job summary to $GITHUB_STEP_SUMMARY: auto, always or never")
	fs.StringVar(&o.stacks, "stacks", "", "analyze only stacks whose artifact id or display name matches one of these comma-separated `globs` (Prod/*); nested stacks follow their parent")
	fs.Int64Var(&o.maxTemplateSize, "max-template-size", loader.DefaultMaxTemplateSize, "largest template read, in `bytes`")
	fs.BoolVar(&o.quiet, "q", false, "print nothing on stderr but errors")
	fs.BoolVar(&o.verb, "v", false, "verbose: fixes in terminal output, internal error traces")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitClean
		}
		return ExitError
	}
	if o.noColor {
		o.color = "never"
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	root, warn := srcloc.RepoRoot(o.repoRoot)
	if warn != "" && !o.quiet {
		fmt.Fprintln(stderr, "iamvet: warning:", warn)
	}
	cfgPath := o.configFile
	if cfgPath == "" {
		cfgPath = config.Find(root)
	}
	var cfg *config.Config
	if cfgPath != "" {
		c, err := config.Load(cfgPath)
		if err != nil {
			fmt.Fprintf(stderr, "iamvet: %v\n", err)
			return ExitError
		}
		cfg = c
		// Flags given on the command line win over the file.
		if cfg.FailOn != nil && !set["fail-on"] {
			o.failOn = cfg.FailOn.String()
		}
		if cfg.MinSeverity != nil && !set["min-severity"] {
			o.minSeverity = cfg.MinSeverity.String()
		}
		if cfg.LocationMode != "" && !set["location-mode"] {
			o.locationMode = cfg.LocationMode
		}
	}
	failOn, err := rules.ParseSeverity(o.failOn)
	if err != nil {
		fmt.Fprintf(stderr, "iamvet: --fail-on: %v\n", err)
		return ExitError
	}
	minSev, err := rules.ParseSeverity(o.minSeverity)
	if err != nil || minSev == 0 {
		fmt.Fprintf(stderr, "iamvet: --min-severity: want low, medium, high or critical\n")
		return ExitError
	}
	switch o.format {
	case "terminal", "json", "sarif":
	default:
		fmt.Fprintf(stderr, "iamvet: --format %q: want terminal, json or sarif\n", o.format)
		return ExitError
	}
	switch o.color {
	case "auto", "always", "never":
	default:
		fmt.Fprintf(stderr, "iamvet: --color %q: want auto, always or never\n", o.color)
		return ExitError
	}
	wantAnnotations, err := githubMode("annotations", o.annotations)
	if err != nil {
		fmt.Fprintf(stderr, "iamvet: %v\n", err)
		return ExitError
	}
	wantSummary, err := githubMode("summary", o.summary)
	if err != nil {
		fmt.Fprintf(stderr, "iamvet: %v\n", err)
		return ExitError
	}
	mode, err := srcloc.ParseMode(o.locationMode)
	if err != nil {
		fmt.Fprintf(stderr, "iamvet: --location-mode: %v\n", err)
		return ExitError
	}
	enabled, err := selectRules(cfg.Select(rules.All()), o.rules, o.skipRules)
	if err != nil {
		fmt.Fprintf(stderr, "iamvet: %v\n", err)
		return ExitError
	}
	if err := configureRules(enabled, cfg); err != nil {
		fmt.Fprintf(stderr, "iamvet: %v\n", err)
		return ExitError
	}
	var base map[string]bool
	if o.baselineFile != "" {
		if base, err = baseline.Read(o.baselineFile); err != nil {
			fmt.Fprintf(stderr, "iamvet: --baseline: %v\n", err)
			return ExitError
		}
	}

	var selectStack func(*loader.Stack) bool
	if o.stacks != "" {
		if selectStack, err = stackFilter(o.stacks); err != nil {
			fmt.Fprintf(stderr, "iamvet: --stacks: %v\n", err)
			return ExitError
		}
	}
	// Source locations are resolved as the stacks are analyzed.
	tracked, trackedErr := srcloc.TrackedFiles(root)
	locOpts := srcloc.Options{RepoRoot: root, Mode: mode, Fallback: o.locationFallback, Tracked: tracked, PathMap: o.pathMap}
	locate := srcloc.NewResolver(locOpts)
	an := Analyze(paths, AnalyzeOptions{
		Load:     loader.Options{MaxTemplateSize: o.maxTemplateSize},
		Select:   selectStack,
		Rules:    enabled,
		Suppress: suppress.Options{NoPeer: o.noPeer},
		Locate:   locate,
		// The job summary's graph needs every template at the end.
		KeepTemplates: wantSummary,
	})
	res, findings, ierrs := an.Load, an.Findings, an.Internal

	// Severity overrides, then suppressions: in the templates (iamvet's own
	// and the peers'), in .iamvet.yaml, and the baseline.
	cfg.ApplySeverity(findings)
	kept, suppressed, extra, warnings := suppress.ApplyIndexed(findings, an.Indexes, suppress.Options{NoPeer: o.noPeer})
	if !ruleEnabled(enabled, "IAM065") {
		extra = nil
	}
	for _, w := range warnings {
		if !o.quiet {
			fmt.Fprintln(stderr, "iamvet: warning:", w)
		}
	}
	all := append(kept, extra...)
	rules.SortFindings(all)
	all, hidden := cfg.Apply(all)
	suppressed = append(suppressed, hidden...)
	current := all
	if base != nil {
		all, hidden = baseline.Apply(all, base, o.baselineFile)
		suppressed = append(suppressed, hidden...)
	}
	rules.SortFindings(suppressed)

	if trackedErr != nil && !o.quiet {
		fmt.Fprintln(stderr, "iamvet: warning: git ls-files:", trackedErr)
	}
	// The findings made after the analysis (IAM065's) are not located yet.
	located := append(append([]*rules.Finding(nil), all...), suppressed...)
	var late []*rules.Finding
	for _, f := range located {
		if f.LocationSource == "" {
			late = append(late, f)
		}
	}
	locate.Resolve(late, res.Stacks)
	notes := srcloc.Notes(located, res.Stacks, locOpts)

	in := &report.Input{
		Tool:              report.Tool{Name: "iamvet", Version: version(), InformationURI: "https://github.com/iamvet/iamvet"},
		Rules:             enabled,
		Findings:          atLeast(all, minSev),
		Suppressed:        atLeast(suppressed, minSev),
		FailOn:            failOn,
		RepoRoot:          root,
		CodeFlows:         o.codeFlows,
		Notifications:     notes,
		Category:          o.category,
		MaxResults:        o.maxResults,
		IncludeSuppressed: o.includeSuppressed,
	}
	for _, s := range res.Stacks {
		in.Stacks = append(in.Stacks, rules.StackRefOf(s))
	}
	// Annotations and the job summary are written whatever the exit code,
	// so that load errors show in the workflow run too.
	defer writeGitHub(stderr, stderr, in, res.Stacks, wantAnnotations, wantSummary, o.showInternal)
	for _, e := range res.Errors {
		in.Errors = append(in.Errors, report.Error{File: e.File, Line: e.Line, Column: e.Column, Message: e.Msg})
	}

	code := ExitClean
	if report.Blocking(in) > 0 {
		code = ExitFindings
	}
	if len(res.Errors) > 0 {
		code = ExitError
	}
	if len(ierrs) > 0 {
		code = ExitInternal
	}
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "iamvet: error: %v\n", e)
	}
	for _, e := range ierrs {
		fmt.Fprintf(stderr, "iamvet: %v\n", e)
		if o.verb {
			fmt.Fprintln(stderr, e.Trace)
		}
	}

	write := func(format string, w io.Writer, color bool) error {
		switch format {
		case "json":
			return report.WriteJSON(w, in)
		case "sarif":
			return report.WriteSARIF(w, in)
		}
		return report.WriteTerminal(w, in, report.TerminalOptions{Color: color, ShowInternal: o.showInternal, Verbose: o.verb})
	}
	// Files are written atomically and only when the run succeeded (0 or
	// 1): an empty SARIF upload would close every open alert.
	if code == ExitClean || code == ExitFindings {
		if o.writeBaseline != "" {
			if err := baseline.Write(o.writeBaseline, atLeast(current, minSev)); err != nil {
				fmt.Fprintf(stderr, "iamvet: --write-baseline: %v\n", err)
				return ExitError
			}
		}
		for _, extra := range []struct{ file, format string }{{o.sarifFile, "sarif"}, {o.jsonFile, "json"}} {
			if extra.file == "" {
				continue
			}
			if err := report.WriteFileAtomic(extra.file, func(w io.Writer) error { return write(extra.format, w, false) }); err != nil {
				fmt.Fprintf(stderr, "iamvet: write %s: %v\n", extra.file, err)
				return ExitError
			}
		}
		if o.output != "" {
			if err := report.WriteFileAtomic(o.output, func(w io.Writer) error { return write(o.format, w, o.color == "always") }); err != nil {
				fmt.Fprintf(stderr, "iamvet: write %s: %v\n", o.output, err)
				return ExitError
			}
			return code
		}
	} else if o.output != "" || o.sarifFile != "" || o.jsonFile != "" {
		fmt.Fprintln(stderr, "iamvet: output files not written because of the errors above")
	}
	if o.output == "" {
		color := false
		if f, ok := stdout.(*os.File); ok {
			color = report.ColorEnabled(o.color, f)
		} else {
			color = o.color == "always"
		}
		// stdout carries the report of every stack that loaded, even on exit 2.
		if err := write(o.format, stdout, color); err != nil {
			fmt.Fprintf(stderr, "iamvet: %v\n", err)
			return ExitError
		}
	}
	return code
}

// mapFlag collects repeatable FROM=TO flags.
type mapFlag map[string]string

func (m *mapFlag) String() string { return "" }

func (m *mapFlag) Set(v string) error {
	from, to, ok := strings.Cut(v, "=")
	if !ok || from == "" || to == "" {
		return fmt.Errorf("want FROM=TO, got %q", v)
	}
	if *m == nil {
		*m = mapFlag{}
	}
	(*m)[from] = to
	return nil
}

func splitIDs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.ToUpper(p))
		}
	}
	return out
}

// selectRules applies --rules and --skip-rules to the default rule set;
// --rules may name any registered rule, including opt-in ones.
func selectRules(defaults []*rules.Rule, only, skip string) ([]*rules.Rule, error) {
	all := rules.All()
	on := map[string]bool{}
	for _, r := range defaults {
		on[r.ID()] = true
	}
	for _, id := range append(splitIDs(only), splitIDs(skip)...) {
		if rules.Lookup(id) == nil {
			return nil, fmt.Errorf("unknown rule id %s (see iamvet rules)", id)
		}
	}
	want := map[string]bool{}
	for _, id := range splitIDs(only) {
		want[id] = true
	}
	skipped := map[string]bool{}
	for _, id := range splitIDs(skip) {
		skipped[id] = true
	}
	var out []*rules.Rule
	for _, r := range all {
		switch {
		case skipped[r.ID()]:
		case len(want) > 0 && !want[r.ID()]:
		case len(want) == 0 && !on[r.ID()]:
		default:
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out, nil
}

// AnalyzeOptions tune Analyze.
type AnalyzeOptions struct {
	Load loader.Options
	// Select, when set, chooses the stacks analyzed (see
	// loader.StreamOptions.Select).
	Select   func(*loader.Stack) bool
	Rules    []*rules.Rule
	Suppress suppress.Options
	// Locate, when set, resolves the source locations of each stack's
	// findings (srcloc) in the pipeline.
	Locate *srcloc.Resolver
	// KeepTemplates keeps every template in memory (for callers that need
	// them after the analysis).
	KeepTemplates bool
}

// Analysis is what Analyze keeps of a run: no template, unless
// AnalyzeOptions.KeepTemplates.
type Analysis struct {
	// Load has the selected stacks, in load order, and the load errors.
	Load *loader.Result
	// Findings are sorted and deduplicated, as rules.Run returns them.
	Findings []*rules.Finding
	// Internal are the internal errors, in stack order.
	Internal []*rules.InternalError
	// Indexes are the stacks' suppression indexes, in stack order, for
	// suppress.ApplyIndexed.
	Indexes []*suppress.Index
}

// Analyze loads the paths and analyzes each selected stack as soon as it
// is parsed, in a pipeline (loader.Stream): the rules, then what
// suppressions need of the template (suppress.NewIndex), after which the
// template is released. Memory holds the findings and a few templates,
// never the whole assembly.
func Analyze(paths []string, opt AnalyzeOptions) *Analysis {
	runner, planErr := rules.NewRunner(opt.Rules)
	type stackResult struct {
		findings []*rules.Finding
		ierrs    []*rules.InternalError
		index    *suppress.Index
	}
	var (
		mu      sync.Mutex
		results []*stackResult // by seq
	)
	res := loader.Stream(paths, loader.StreamOptions{
		Options:       opt.Load,
		Select:        opt.Select,
		KeepTemplates: opt.KeepTemplates,
		Visit: func(seq int, s *loader.Stack, fset *token.FileSet) {
			r := &stackResult{}
			if runner != nil {
				r.findings, r.ierrs = runner.Stack(fset, s)
			}
			r.index = suppress.NewIndex(s, r.findings, opt.Suppress)
			if opt.Locate != nil {
				opt.Locate.Resolve(r.findings, []*loader.Stack{s})
			}
			mu.Lock()
			defer mu.Unlock()
			for len(results) <= seq {
				results = append(results, nil)
			}
			results[seq] = r
		},
	})
	an := &Analysis{Load: res, Indexes: make([]*suppress.Index, len(res.Stacks))}
	perStack := make([][]*rules.Finding, len(res.Stacks))
	if planErr != nil {
		an.Internal = append(an.Internal, planErr)
	}
	for i := range res.Stacks {
		if i < len(results) && results[i] != nil {
			perStack[i], an.Indexes[i] = results[i].findings, results[i].index
			an.Internal = append(an.Internal, results[i].ierrs...)
		}
	}
	if planErr == nil {
		an.Findings = rules.Merge(perStack)
	}
	return an
}

// stackFilter returns a selection of the stacks whose artifact id or
// display name matches a glob, and the nested stacks of selected stacks,
// for stacks offered in load order (parents before their nested stacks).
func stackFilter(globs string) (func(*loader.Stack) bool, error) {
	var pats []string
	for _, g := range strings.Split(globs, ",") {
		if g = strings.TrimSpace(g); g != "" {
			if _, err := path.Match(g, ""); err != nil {
				return nil, fmt.Errorf("bad pattern %q", g)
			}
			pats = append(pats, g)
		}
	}
	keep := map[string]bool{}
	return func(s *loader.Stack) bool {
		ok := s.Parent != "" && keep[s.Parent]
		for _, p := range pats {
			m1, _ := path.Match(p, s.ArtifactID)
			m2, _ := path.Match(p, s.DisplayName)
			ok = ok || m1 || m2
		}
		if ok {
			keep[s.ArtifactID] = true
		}
		return ok
	}, nil
}

// filterStacks keeps the stacks whose artifact id or display name matches a
// glob, and the nested stacks of kept stacks.
func filterStacks(stacks []*loader.Stack, globs string) ([]*loader.Stack, error) {
	sel, err := stackFilter(globs)
	if err != nil {
		return nil, err
	}
	var out []*loader.Stack
	for _, s := range stacks { // parents come before their nested stacks
		if sel(s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// atLeast returns the findings at or above min.
func atLeast(fs []*rules.Finding, min rules.Severity) []*rules.Finding {
	var out []*rules.Finding
	for _, f := range fs {
		if f.Severity >= min {
			out = append(out, f)
		}
	}
	return out
}

func ruleEnabled(rs []*rules.Rule, id string) bool {
	for _, r := range rs {
		if r.ID() == id {
			return true
		}
	}
	return false
}

// configureRules passes configuration to the rules that take it through
// their analyzer flags (trusted-accounts, trusted-orgs).
func configureRules(rs []*rules.Rule, cfg *config.Config) error {
	if cfg == nil {
		return nil
	}
	for _, r := range rs {
		for name, vals := range map[string][]string{"trusted-accounts": cfg.TrustedAccounts, "trusted-orgs": cfg.TrustedOrgs} {
			if f := r.Analyzer.Flags.Lookup(name); f != nil && len(vals) > 0 {
				if err := f.Value.Set(strings.Join(vals, ",")); err != nil {
					return fmt.Errorf("%s: %s: %v", cfg.Path, name, err)
				}
			}
		}
	}
	return nil
}
