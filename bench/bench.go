// Package bench measures iamvet on synthetic CDK assemblies
// (internal/gen): load, analyze and each writer, against a bare parallel
// encoding/json baseline. The benchmarks are in bench_test.go (go test
// -bench . ./bench); cmd/budget checks the speed and memory budgets of
// DESIGN.md on a 1,000-stack assembly. This file holds the pipeline steps
// both share, wired the way internal/cli wires them.
package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/iamvet/iamvet/internal/cli"
	"github.com/iamvet/iamvet/internal/suppress"
	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/report"
	"github.com/iamvet/iamvet/rules"
	_ "github.com/iamvet/iamvet/rules/all" // the rule registry
)

// Rules returns the rules iamvet runs by default (every rule not disabled),
// sorted by id, as internal/cli selects them without --rules.
func Rules() []*rules.Rule {
	var out []*rules.Rule
	for _, r := range rules.All() {
		if !r.Disabled {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out
}

// Load loads paths with default options (every template in memory).
func Load(paths ...string) *loader.Result {
	return loader.Load(paths, loader.Options{})
}

// Analyze runs rs on the loaded stacks; an internal error is an error.
func Analyze(res *loader.Result, rs []*rules.Rule) ([]*rules.Finding, error) {
	findings, ierrs := rules.Run(res.Fset, res.Stacks, rs, rules.Options{})
	if len(ierrs) > 0 {
		return findings, fmt.Errorf("%d internal errors, first: %v", len(ierrs), ierrs[0])
	}
	return findings, nil
}

// Stream is load + analyze + suppressions as internal/cli runs them
// (cli.Analyze): each stack is analyzed as soon as it is parsed, what
// suppressions need of its template is extracted and the template is
// released; then the suppressions are applied. It returns the load result
// (stacks without templates), the findings not suppressed (IAM065's
// included, sorted) and the suppressed ones.
func Stream(rs []*rules.Rule, paths ...string) (res *loader.Result, findings, suppressed []*rules.Finding, err error) {
	an := cli.Analyze(paths, cli.AnalyzeOptions{Rules: rs})
	if len(an.Internal) > 0 {
		return an.Load, nil, nil, fmt.Errorf("%d internal errors, first: %v", len(an.Internal), an.Internal[0])
	}
	kept, suppressed, extra, _ := suppress.ApplyIndexed(an.Findings, an.Indexes, suppress.Options{})
	findings = append(kept, extra...)
	rules.SortFindings(findings)
	return an.Load, findings, suppressed, nil
}

// Input builds the writers' input as internal/cli does (--min-severity
// low, --fail-on low).
func Input(res *loader.Result, rs []*rules.Rule, findings []*rules.Finding, repoRoot string) *report.Input {
	in := &report.Input{
		Tool:       report.Tool{Name: "iamvet", Version: "0.0.0-bench", InformationURI: "https://github.com/iamvet/iamvet"},
		Rules:      rs,
		Findings:   findings,
		FailOn:     rules.Low,
		RepoRoot:   repoRoot,
		MaxResults: report.DefaultMaxResults,
	}
	for _, s := range res.Stacks {
		in.Stacks = append(in.Stacks, rules.StackRefOf(s))
	}
	for _, e := range res.Errors {
		in.Errors = append(in.Errors, report.Error{File: e.File, Line: e.Line, Column: e.Column, Message: e.Msg})
	}
	return in
}

// Templates returns the template files of a cloud assembly's manifest
// (stack artifacts of the root assembly), sorted.
func Templates(dir string) ([]string, error) {
	src, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m struct {
		Artifacts map[string]struct {
			Type       string `json:"type"`
			Properties struct {
				TemplateFile string `json:"templateFile"`
			} `json:"properties"`
		} `json:"artifacts"`
	}
	if err := json.Unmarshal(src, &m); err != nil {
		return nil, err
	}
	var out []string
	for _, a := range m.Artifacts {
		if a.Type == "aws:cloudformation:stack" && a.Properties.TemplateFile != "" {
			out = append(out, filepath.Join(dir, a.Properties.TemplateFile))
		}
	}
	sort.Strings(out)
	return out, nil
}

// Size returns the total size of files.
func Size(files []string) (int64, error) {
	var n int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return 0, err
		}
		n += fi.Size()
	}
	return n, nil
}

// UnmarshalFiles is the baseline: workers goroutines each read a template
// and json.Unmarshal it into map[string]any, dropping the result. It returns
// the number of top-level keys seen (so that nothing is optimized away).
func UnmarshalFiles(files []string, workers int) (int, error) {
	return parallel(len(files), workers, func(i int) (int, error) {
		src, err := os.ReadFile(files[i])
		if err != nil {
			return 0, err
		}
		return unmarshal(src)
	})
}

// UnmarshalAll is the baseline on templates already in memory.
func UnmarshalAll(srcs [][]byte, workers int) (int, error) {
	return parallel(len(srcs), workers, func(i int) (int, error) { return unmarshal(srcs[i]) })
}

func unmarshal(src []byte) (int, error) {
	var m map[string]any
	if err := json.Unmarshal(src, &m); err != nil {
		return 0, err
	}
	return len(m), nil
}

func parallel(n, workers int, f func(i int) (int, error)) (int, error) {
	if workers < 1 {
		workers = 1
	}
	var (
		mu    sync.Mutex
		total int
		first error
		wg    sync.WaitGroup
	)
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum := 0
			for i := range next {
				k, err := f(i)
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
				sum += k
			}
			mu.Lock()
			total += sum
			mu.Unlock()
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return total, first
}
