// Command budget checks iamvet's speed and memory budgets (DESIGN.md
// "Speed"): on a generated 1,000-stack, ~64 MB cloud assembly and 2 cores,
// load + analyze + SARIF must take at most 3× the wall time of a bare
// parallel json.Unmarshal of the same templates into map[string]any, and
// peak memory (RSS) must stay under 4× the template bytes.
//
// Each measurement runs in a child process (this program re-executed with
// -mode) with GOMAXPROCS set, so that its wall time, CPU time and peak RSS
// (getrusage ru_maxrss of the child) are its own. Runs alternate baseline
// and iamvet; the table shows the median and the best of -runs runs.
//
//	go run ./bench/cmd/budget                      # generate, measure, print
//	go run ./bench/cmd/budget -dir /tmp/asm -keep  # reuse the assembly later
//	go run ./bench/cmd/budget -dir /tmp/asm -runs 1 -cpuprofile cpu.out -memprofile mem.out
//
// The exit status is 0 when both budgets hold, 1 when one does not, 2 on
// errors.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/iamvet/iamvet/bench"
	"github.com/iamvet/iamvet/internal/cli"
	"github.com/iamvet/iamvet/internal/gen"
	"github.com/iamvet/iamvet/report"
)

var (
	dir        = flag.String("dir", "", "cloud assembly to measure; generated there when it has no manifest.json (default: a temporary directory)")
	stacks     = flag.Int("stacks", 1000, "stacks to generate")
	size       = flag.Int64("size", 64<<20, "template bytes to generate")
	seed       = flag.Int64("seed", 1, "generator seed")
	keep       = flag.Bool("keep", false, "keep a generated temporary assembly")
	procs      = flag.Int("procs", 2, "GOMAXPROCS of the measured processes")
	runs       = flag.Int("runs", 3, "measurements of each side")
	pipeline   = flag.String("pipeline", "packages", "what iamvet runs: packages (loader, rules, report as internal/cli wires them, with phase times) or cli (cli.Main --format sarif -o FILE)")
	cpuprofile = flag.String("cpuprofile", "", "write a CPU profile of the (last) iamvet run to `file`")
	memprofile = flag.String("memprofile", "", "write a heap profile of the (last) iamvet run to `file` (sampled after the SARIF is written; see -memprofilerate)")
	memrate    = flag.Int("memprofilerate", 0, "runtime.MemProfileRate in the iamvet run (0: Go's default)")
	mode       = flag.String("mode", "", "internal: baseline or iamvet (run one measurement and print JSON)")
)

// child is what a measured process reports on stdout.
type child struct {
	Phases   map[string]float64 `json:"phases,omitempty"` // seconds
	Stacks   int                `json:"stacks"`
	Findings int                `json:"findings"`
	Output   int64              `json:"output"`
	VmHWM    int64              `json:"vmHWM"` // /proc/self/status, kB
}

// measurement is one child run as seen by the parent.
type measurement struct {
	child
	Wall   time.Duration
	CPU    time.Duration // user + system
	MaxRSS int64         // bytes
}

func main() {
	flag.Parse()
	if *mode != "" {
		if err := runChild(*mode, *dir); err != nil {
			fmt.Fprintln(os.Stderr, "budget:", err)
			os.Exit(2)
		}
		return
	}
	code, err := runParent()
	if err != nil {
		fmt.Fprintln(os.Stderr, "budget:", err)
		os.Exit(2)
	}
	os.Exit(code)
}

func runParent() (int, error) {
	d := *dir
	if d == "" {
		tmp, err := os.MkdirTemp("", "iamvet-budget-")
		if err != nil {
			return 0, err
		}
		if !*keep {
			defer os.RemoveAll(tmp)
		}
		d = filepath.Join(tmp, "cdk.out")
	}
	if _, err := os.Stat(filepath.Join(d, "manifest.json")); err != nil {
		fmt.Fprintf(os.Stderr, "generating %d stacks, %d MB of templates, seed %d into %s ...\n", *stacks, *size>>20, *seed, d)
		start := time.Now()
		if err := gen.Assembly(d, *stacks, *size, *seed); err != nil {
			return 0, err
		}
		fmt.Fprintf(os.Stderr, "generated in %.1fs\n", time.Since(start).Seconds())
	}
	files, err := bench.Templates(d)
	if err != nil {
		return 0, err
	}
	input, err := bench.Size(files)
	if err != nil {
		return 0, err
	}
	total, err := dirSize(d)
	if err != nil {
		return 0, err
	}
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}

	var base, iv []measurement
	for i := 0; i < *runs; i++ {
		last := i == *runs-1
		m, err := measure(self, "baseline", d, false)
		if err != nil {
			return 0, err
		}
		base = append(base, m)
		m, err = measure(self, "iamvet", d, last)
		if err != nil {
			return 0, err
		}
		iv = append(iv, m)
	}

	fmt.Printf("assembly: %s\n", d)
	fmt.Printf("  %d templates, %.1f MB of templates (%d bytes), %.1f MB with manifest and metadata files\n",
		len(files), mb(input), input, mb(total))
	fmt.Printf("machine: %s/%s, %d CPUs, GOMAXPROCS=%d in the measured processes, %s, load average %s\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), *procs, runtime.Version(), loadavg())
	what := "findings"
	if *pipeline == "cli" {
		what = "SARIF results (--max-results caps them)"
	}
	fmt.Printf("iamvet: %d stacks, %d %s, %.1f MB of SARIF (pipeline %s)\n\n", iv[0].Stacks, iv[0].Findings, what, mb(iv[0].Output), *pipeline)

	fmt.Printf("%-22s %12s %12s %12s %12s %12s\n", "", "wall median", "wall best", "CPU median", "peak RSS", "RSS/input")
	row := func(name string, ms []measurement) (time.Duration, int64) {
		wall := median(ms, func(m measurement) time.Duration { return m.Wall })
		best := minimum(ms, func(m measurement) time.Duration { return m.Wall })
		cpu := median(ms, func(m measurement) time.Duration { return m.CPU })
		var rss int64
		for _, m := range ms {
			rss = max(rss, m.MaxRSS)
		}
		fmt.Printf("%-22s %11.2fs %11.2fs %11.2fs %10.0fMB %11.2fx\n", name, wall.Seconds(), best.Seconds(), cpu.Seconds(), mb(rss), float64(rss)/float64(input))
		return wall, rss
	}
	bw, _ := row("json.Unmarshal (base)", base)
	iw, irss := row("iamvet load+rules+SARIF", iv)
	if ph := iv[len(iv)-1].Phases; len(ph) > 0 {
		var names []string
		for k := range ph {
			names = append(names, k)
		}
		sort.Slice(names, func(i, j int) bool { return phaseOrder(names[i]) < phaseOrder(names[j]) })
		var parts []string
		for _, k := range names {
			parts = append(parts, fmt.Sprintf("%s %.2fs", k, ph[k]))
		}
		fmt.Printf("  last iamvet run: %s\n", strings.Join(parts, ", "))
	}
	bestRatio := float64(minimum(iv, func(m measurement) time.Duration { return m.Wall })) / float64(minimum(base, func(m measurement) time.Duration { return m.Wall }))
	cpuRatio := float64(median(iv, func(m measurement) time.Duration { return m.CPU })) / float64(median(base, func(m measurement) time.Duration { return m.CPU }))
	fmt.Println()
	wallOK := float64(iw) <= 3*float64(bw)
	memOK := irss <= 4*input
	fmt.Printf("budget wall ≤ 3× baseline: %.2fx (medians; best runs %.2fx, CPU time %.2fx)  %s\n", float64(iw)/float64(bw), bestRatio, cpuRatio, verdict(wallOK))
	fmt.Printf("budget peak RSS ≤ 4× input: %.0f MB ≤ %.0f MB (%.2fx)  %s\n", mb(irss), mb(4*input), float64(irss)/float64(input), verdict(memOK))
	if wallOK && memOK {
		return 0, nil
	}
	return 1, nil
}

func phaseOrder(name string) int {
	for i, p := range []string{"load", "analyze", "load+analyze", "sarif", "total"} {
		if p == name {
			return i
		}
	}
	return 99
}

func verdict(ok bool) string {
	if ok {
		return "HOLDS"
	}
	return "EXCEEDED"
}

// measure runs one child and returns its wall time, CPU time and peak RSS.
func measure(self, what, d string, profile bool) (measurement, error) {
	args := []string{"-mode", what, "-dir", d, "-pipeline", *pipeline}
	if profile && what == "iamvet" {
		if *cpuprofile != "" {
			args = append(args, "-cpuprofile", *cpuprofile)
		}
		if *memprofile != "" {
			args = append(args, "-memprofile", *memprofile, "-memprofilerate", strconv.Itoa(*memrate))
		}
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", *procs))
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return measurement{}, fmt.Errorf("%s run: %v", what, err)
	}
	var m measurement
	if err := json.Unmarshal(out.Bytes(), &m.child); err != nil {
		return measurement{}, fmt.Errorf("%s run: %v: %q", what, err, out.String())
	}
	m.Wall = wall
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.MaxRSS = ru.Maxrss * 1024 // kB on Linux
	}
	m.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	fmt.Fprintf(os.Stderr, "  %-8s wall %6.2fs  cpu %6.2fs  peak RSS %5.0f MB\n", what, wall.Seconds(), m.CPU.Seconds(), mb(m.MaxRSS))
	return m, nil
}

// runChild runs one measured side and prints a child record.
func runChild(what, d string) error {
	var c child
	switch what {
	case "baseline":
		files, err := bench.Templates(d)
		if err != nil {
			return err
		}
		if _, err := bench.UnmarshalFiles(files, runtime.GOMAXPROCS(0)); err != nil {
			return err
		}
		c.Stacks = len(files)
	case "iamvet":
		if *memrate > 0 {
			runtime.MemProfileRate = *memrate
		}
		if *cpuprofile != "" {
			f, err := os.Create(*cpuprofile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer f.Close()
		}
		var err error
		if *pipeline == "cli" {
			err = runCLI(d, &c)
		} else {
			err = runPackages(d, &c)
		}
		if *cpuprofile != "" {
			pprof.StopCPUProfile()
		}
		if err != nil {
			return err
		}
		if *memprofile != "" {
			f, err := os.Create(*memprofile)
			if err != nil {
				return err
			}
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				return err
			}
			f.Close()
		}
	default:
		return fmt.Errorf("unknown -mode %q", what)
	}
	c.VmHWM = vmHWM()
	return json.NewEncoder(os.Stdout).Encode(c)
}

// runPackages runs loader, rules, suppressions and the SARIF writer as
// internal/cli does for `iamvet --sarif FILE DIR` (without source
// locations, which need a repository), timing each phase: load and
// analysis are one pipelined phase.
func runPackages(d string, c *child) error {
	c.Phases = map[string]float64{}
	start := time.Now()
	t := start
	rs := bench.Rules()
	res, findings, suppressed, err := bench.Stream(rs, d)
	if err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("load: %v", res.Errors[0])
	}
	c.Phases["load+analyze"] = time.Since(t).Seconds()
	t = time.Now()
	out := filepath.Join(os.TempDir(), fmt.Sprintf("iamvet-budget-%d.sarif", os.Getpid()))
	defer os.Remove(out)
	in := bench.Input(res, rs, findings, filepath.Dir(d))
	in.Suppressed = suppressed
	if err := report.WriteFileAtomic(out, func(w io.Writer) error { return report.WriteSARIF(w, in) }); err != nil {
		return err
	}
	c.Phases["sarif"] = time.Since(t).Seconds()
	c.Phases["total"] = time.Since(start).Seconds()
	c.Stacks, c.Findings = len(res.Stacks), len(findings)
	if fi, err := os.Stat(out); err == nil {
		c.Output = fi.Size()
	}
	return nil
}

// runCLI runs cli.Main as `iamvet --format sarif -o FILE --fail-on none DIR`.
func runCLI(d string, c *child) error {
	out := filepath.Join(os.TempDir(), fmt.Sprintf("iamvet-budget-%d.sarif", os.Getpid()))
	defer os.Remove(out)
	var stderr bytes.Buffer
	if code := cli.Main([]string{"--format", "sarif", "-o", out, "--fail-on", "none", "-q", d}, io.Discard, &stderr); code != cli.ExitClean {
		return fmt.Errorf("iamvet exit %d: %s", code, stderr.String())
	}
	fi, err := os.Stat(out)
	if err != nil {
		return err
	}
	c.Output = fi.Size()
	if files, err := bench.Templates(d); err == nil {
		c.Stacks = len(files) // the manifest's stacks (cli.Main does not say)
	}
	// Every result has one ruleIndex, rules none: counting them is cheap
	// next to decoding the log, which would be measured too.
	if b, err := os.ReadFile(out); err == nil {
		c.Findings = bytes.Count(b, []byte(`"ruleIndex": `))
	}
	return nil
}

// vmHWM returns the process's peak RSS from /proc/self/status, in kB (0
// when unavailable).
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func dirSize(d string) (int64, error) {
	var n int64
	err := filepath.Walk(d, func(_ string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.Mode().IsRegular() {
			n += fi.Size()
		}
		return nil
	})
	return n, err
}

func mb(n int64) float64 { return float64(n) / (1 << 20) }

func median(ms []measurement, f func(measurement) time.Duration) time.Duration {
	v := make([]time.Duration, len(ms))
	for i, m := range ms {
		v[i] = f(m)
	}
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func minimum(ms []measurement, f func(measurement) time.Duration) time.Duration {
	best := f(ms[0])
	for _, m := range ms[1:] {
		best = min(best, f(m))
	}
	return best
}
