package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/iamvet/iamvet/internal/gen"
	"github.com/iamvet/iamvet/report"
)

// Benchmarks run on generated assemblies of 10 and 100 stacks of about
// 64 kB of template each (the density of the 1,000-stack, 64 MB budget
// assembly). b.SetBytes is the template bytes of the assembly, so MB/s
// compare across steps and with the json.Unmarshal baseline.
//
//	go test -run '^$' -bench . -benchmem ./bench
var sizes = []int{10, 100}

// seed is the generator seed of every benchmark assembly.
const seed = 1

var (
	asmOnce sync.Once
	asmRoot string
	asmErr  error
	asmMu   sync.Mutex
	asmDirs = map[int]string{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if asmRoot != "" {
		os.RemoveAll(asmRoot)
	}
	os.Exit(code)
}

// assembly returns the directory of the generated n-stack assembly, its
// template files and their total size, generating it on first use.
func assembly(tb testing.TB, n int) (string, []string, int64) {
	tb.Helper()
	asmOnce.Do(func() { asmRoot, asmErr = os.MkdirTemp("", "iamvet-bench-") })
	if asmErr != nil {
		tb.Fatal(asmErr)
	}
	asmMu.Lock()
	defer asmMu.Unlock()
	dir, ok := asmDirs[n]
	if !ok {
		dir = filepath.Join(asmRoot, fmt.Sprintf("stacks-%d", n), "cdk.out")
		if err := gen.Assembly(dir, n, int64(n)*gen.DefaultStackBytes, seed); err != nil {
			tb.Fatal(err)
		}
		asmDirs[n] = dir
	}
	files, err := Templates(dir)
	if err != nil {
		tb.Fatal(err)
	}
	size, err := Size(files)
	if err != nil {
		tb.Fatal(err)
	}
	return dir, files, size
}

// TestPipeline checks what the benchmarks measure: the generated assembly
// loads without errors, every rule runs without an internal error, there
// are findings, and every writer writes.
func TestPipeline(t *testing.T) {
	dir, files, size := assembly(t, 10)
	if len(files) != 10 || size < 10*gen.DefaultStackBytes*8/10 {
		t.Fatalf("%d templates, %d bytes", len(files), size)
	}
	if _, err := UnmarshalFiles(files, 2); err != nil {
		t.Fatal(err)
	}
	res := Load(dir)
	if len(res.Errors) > 0 || len(res.Stacks) != 10 {
		t.Fatalf("%d stacks, errors %v", len(res.Stacks), res.Errors)
	}
	rs := Rules()
	findings, err := Analyze(res, rs)
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) == 0 {
		t.Fatal("no findings on the generated assembly")
	}
	// The streamed pipeline (the CLI's) finds the same: the assembly has
	// no suppressions.
	sres, streamed, suppressed, err := Stream(rs, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(sres.Stacks) != 10 || len(streamed) != len(findings) || len(suppressed) != 0 {
		t.Errorf("streamed: %d stacks, %d findings (%d suppressed), want 10 and %d", len(sres.Stacks), len(streamed), len(suppressed), len(findings))
	}
	for i := range min(len(streamed), len(findings)) {
		if a, b := streamed[i], findings[i]; a.Fingerprint != b.Fingerprint || a.Template != b.Template || a.Message != b.Message {
			t.Fatalf("streamed finding %d differs: %+v, want %+v", i, a, b)
		}
	}
	in := Input(res, rs, findings, filepath.Dir(dir))
	for name, write := range writers {
		var buf bytes.Buffer
		if err := write(&buf, in); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if buf.Len() < 1000 {
			t.Errorf("%s: %d bytes", name, buf.Len())
		}
		if name != "terminal" && !json.Valid(buf.Bytes()) {
			t.Errorf("%s: invalid JSON", name)
		}
	}
}

var writers = map[string]func(io.Writer, *report.Input) error{
	"json":  report.WriteJSON,
	"sarif": report.WriteSARIF,
	"terminal": func(w io.Writer, in *report.Input) error {
		return report.WriteTerminal(w, in, report.TerminalOptions{})
	},
}

// BenchmarkBaselineUnmarshal is the budget's yardstick: GOMAXPROCS
// goroutines read the templates and json.Unmarshal each into map[string]any.
func BenchmarkBaselineUnmarshal(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("stacks=%d", n), func(b *testing.B) {
			_, files, size := assembly(b, n)
			b.SetBytes(size)
			b.ReportAllocs()
			defer startCPU(b)()
			for b.Loop() {
				if _, err := UnmarshalFiles(files, runtime.GOMAXPROCS(0)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoad measures loader.Load: manifest, metadata side files,
// templates read and parsed into positioned trees, all kept in memory.
func BenchmarkLoad(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("stacks=%d", n), func(b *testing.B) {
			dir, _, size := assembly(b, n)
			b.SetBytes(size)
			b.ReportAllocs()
			defer startCPU(b)()
			for b.Loop() {
				if res := Load(dir); len(res.Errors) > 0 {
					b.Fatal(res.Errors[0])
				}
			}
		})
	}
}

// BenchmarkAnalyze measures rules.Run with every default rule on loaded
// stacks.
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("stacks=%d", n), func(b *testing.B) {
			dir, _, size := assembly(b, n)
			res := Load(dir)
			rs := Rules()
			b.SetBytes(size)
			b.ReportAllocs()
			var findings int
			defer startCPU(b)()
			for b.Loop() {
				fs, err := Analyze(res, rs)
				if err != nil {
					b.Fatal(err)
				}
				findings = len(fs)
			}
			b.ReportMetric(float64(findings), "findings")
		})
	}
}

// BenchmarkWrite measures each writer on the findings of an assembly.
func BenchmarkWrite(b *testing.B) {
	for _, name := range []string{"json", "sarif", "terminal"} {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/stacks=%d", name, n), func(b *testing.B) {
				dir, _, size := assembly(b, n)
				res := Load(dir)
				rs := Rules()
				findings, err := Analyze(res, rs)
				if err != nil {
					b.Fatal(err)
				}
				in := Input(res, rs, findings, filepath.Dir(dir))
				write := writers[name]
				var out countWriter
				b.SetBytes(size)
				b.ReportAllocs()
				defer startCPU(b)()
				for b.Loop() {
					out = 0
					if err := write(&out, in); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(out), "out-bytes")
				b.ReportMetric(float64(len(findings)), "findings")
			})
		}
	}
}

// BenchmarkStream measures the pipeline internal/cli runs: each stack
// loaded, analyzed and indexed for suppressions as soon as it is parsed
// (loader.Stream), then the findings merged and the suppressions applied.
func BenchmarkStream(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("stacks=%d", n), func(b *testing.B) {
			dir, _, size := assembly(b, n)
			rs := Rules()
			b.SetBytes(size)
			b.ReportAllocs()
			var findings int
			defer startCPU(b)()
			for b.Loop() {
				_, fs, _, err := Stream(rs, dir)
				if err != nil {
					b.Fatal(err)
				}
				findings = len(fs)
			}
			b.ReportMetric(float64(findings), "findings")
		})
	}
}

// BenchmarkEndToEnd measures load + analyze + SARIF, what a CI run does
// (the streamed pipeline).
func BenchmarkEndToEnd(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("stacks=%d", n), func(b *testing.B) {
			dir, _, size := assembly(b, n)
			rs := Rules()
			b.SetBytes(size)
			b.ReportAllocs()
			defer startCPU(b)()
			for b.Loop() {
				res, findings, suppressed, err := Stream(rs, dir)
				if err != nil {
					b.Fatal(err)
				}
				in := Input(res, rs, findings, filepath.Dir(dir))
				in.Suppressed = suppressed
				if err := report.WriteSARIF(io.Discard, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// startCPU starts measuring the process CPU time; the returned function
// (deferred) reports it per operation as cpu-ns/op, next to wall ns/op.
func startCPU(b *testing.B) func() {
	start := CPUTime()
	return func() {
		if d := CPUTime() - start; d > 0 && b.N > 0 {
			b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

// countWriter counts the bytes written to it.
type countWriter int

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
