package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/internal/gen"
)

// TestDeterminismAcrossGOMAXPROCS: the same input gives byte-identical
// terminal, JSON and SARIF output across repeated runs and GOMAXPROCS 1, 2
// and 8 (stacks are loaded and analyzed in parallel, bounded by
// GOMAXPROCS), on the nested multi-stage corpus app and a generated
// 50-stack assembly. Each run writes the terminal report on stdout and the
// JSON and SARIF reports to files.
func TestDeterminismAcrossGOMAXPROCS(t *testing.T) {
	generated := filepath.Join(t.TempDir(), "cdk.out")
	if err := gen.Assembly(generated, 50, 50*12<<10, 7); err != nil {
		t.Fatal(err)
	}
	inputs := []struct{ name, dir string }{
		{"j-multistage-nested", filepath.Join(repo(t), "testdata", "corpus", "j-multistage-nested", "cdk.out")},
		{"generated-50", generated},
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			tmp := t.TempDir()
			sf, jf := filepath.Join(tmp, "out.sarif"), filepath.Join(tmp, "out.json")
			args := []string{"--format", "terminal", "--color", "never", "--sarif", sf, "--json", jf, "--repo-root", repo(t), in.dir}
			var first map[string]string
			var firstAt string
			// Every GOMAXPROCS value twice, not in a row.
			for i, procs := range []int{1, 2, 8, 2, 1, 8} {
				runtime.GOMAXPROCS(procs)
				code, out, stderr := runCLI(t, args...)
				if code != ExitFindings {
					t.Fatalf("GOMAXPROCS=%d: exit %d, want 1; stderr: %s", procs, code, stderr)
				}
				got := map[string]string{"terminal": out, "json": string(readFile(t, jf)), "sarif": string(readFile(t, sf))}
				at := fmt.Sprintf("run %d (GOMAXPROCS=%d)", i+1, procs)
				if first == nil {
					first, firstAt = got, at
					for format, o := range got {
						if len(o) < 1000 {
							t.Fatalf("%s: %s output is only %d bytes", at, format, len(o))
						}
					}
					continue
				}
				for _, format := range []string{"terminal", "json", "sarif"} {
					if got[format] != first[format] {
						t.Errorf("%s: %s output differs from %s's:\n%s", at, format, firstAt, firstDiff(first[format], got[format]))
					}
				}
			}
			// The files are what --format json and --format sarif print.
			for _, format := range []string{"json", "sarif"} {
				_, out, _ := runCLI(t, "--format", format, "--repo-root", repo(t), in.dir)
				if out != first[format] {
					t.Errorf("--format %s output differs from the --%s file:\n%s", format, format, firstDiff(first[format], out))
				}
			}
		})
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// firstDiff shows the first differing line of two outputs.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("one output is a prefix of the other (%d vs %d lines)", len(al), len(bl))
}
