// Package baseline reads and writes iamvet baselines: the fingerprints of
// findings that already existed, so that only new findings count
// (--baseline FILE, --write-baseline FILE).
//
// A baseline is any of:
//
//   - a file written by Write (--write-baseline):
//     {"schemaVersion": 1, "fingerprints": ["v1:…", …]} (sorted);
//   - an earlier iamvet JSON report: findings[].fingerprint;
//   - an earlier iamvet SARIF log: runs[].results[].partialFingerprints["iamvet/v1"].
//
// From reports, findings that were suppressed by anything but a baseline
// are left out (they were not reported, so they are not accepted debt).
// Fingerprints (INTEGRATION.md S-2) contain no line numbers, file paths or
// message text: a finding keeps its fingerprint when lines move or
// unrelated statements are added.
package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/iamvet/iamvet/rules"
)

// Kind is the rules.Suppression kind of a baselined finding.
const Kind = "baseline"

// SchemaVersion is the version of the file Write produces.
const SchemaVersion = 1

type file struct {
	SchemaVersion int      `json:"schemaVersion"`
	Fingerprints  []string `json:"fingerprints"`
}

type jsonReport struct {
	SchemaVersion int `json:"schemaVersion"`
	Tool          struct {
		Name string `json:"name"`
	} `json:"tool"`
	Findings []struct {
		Fingerprint string `json:"fingerprint"`
		Suppression *struct {
			Kind string `json:"kind"`
		} `json:"suppression"`
	} `json:"findings"`
}

type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name string `json:"name"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			PartialFingerprints map[string]any `json:"partialFingerprints"`
			Suppressions        []struct {
				Properties map[string]any `json:"properties"`
			} `json:"suppressions"`
		} `json:"results"`
	} `json:"runs"`
}

// Read returns the fingerprints of a baseline file, an iamvet JSON report
// or an iamvet SARIF log.
func Read(path string) (map[string]bool, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(src, &probe); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %v", path, err)
	}
	out := map[string]bool{}
	switch {
	case probe["fingerprints"] != nil:
		var f file
		if err := json.Unmarshal(src, &f); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		if f.SchemaVersion != SchemaVersion {
			return nil, fmt.Errorf("%s: baseline schemaVersion %d, want %d", path, f.SchemaVersion, SchemaVersion)
		}
		for _, fp := range f.Fingerprints {
			if fp != "" {
				out[fp] = true
			}
		}
	case probe["runs"] != nil:
		var log sarifLog
		if err := json.Unmarshal(src, &log); err != nil {
			return nil, fmt.Errorf("%s: SARIF: %v", path, err)
		}
		for _, run := range log.Runs {
			if name := run.Tool.Driver.Name; name != "iamvet" {
				return nil, fmt.Errorf("%s: SARIF run of %q, not iamvet", path, name)
			}
			for _, res := range run.Results {
				if suppressedByOther(res.Suppressions) {
					continue
				}
				if fp, ok := res.PartialFingerprints["iamvet/v1"].(string); ok && fp != "" {
					out[fp] = true
				}
			}
		}
	case probe["findings"] != nil:
		var rep jsonReport
		if err := json.Unmarshal(src, &rep); err != nil {
			return nil, fmt.Errorf("%s: iamvet JSON: %v", path, err)
		}
		if rep.Tool.Name != "iamvet" {
			return nil, fmt.Errorf("%s: JSON report of %q, not iamvet", path, rep.Tool.Name)
		}
		for _, f := range rep.Findings {
			if f.Suppression != nil && f.Suppression.Kind != Kind {
				continue
			}
			if f.Fingerprint != "" {
				out[f.Fingerprint] = true
			}
		}
	default:
		return nil, fmt.Errorf("%s: not an iamvet baseline, JSON report or SARIF log", path)
	}
	return out, nil
}

func suppressedByOther(sups []struct {
	Properties map[string]any `json:"properties"`
}) bool {
	for _, s := range sups {
		if k, _ := s.Properties["iamvet/kind"].(string); k != Kind {
			return true
		}
	}
	return false
}

// Write writes the fingerprints of findings as a baseline file
// (schemaVersion 1, sorted, unique), atomically. Findings suppressed by
// anything but a baseline are left out.
func Write(path string, findings []*rules.Finding) error {
	seen := map[string]bool{}
	f := file{SchemaVersion: SchemaVersion, Fingerprints: []string{}}
	for _, fd := range findings {
		if fd.Suppressed != nil && fd.Suppressed.Kind != Kind {
			continue
		}
		if fp := fd.Fingerprint; fp != "" && !seen[fp] {
			seen[fp] = true
			f.Fingerprints = append(f.Fingerprints, fp)
		}
	}
	sort.Strings(f.Fingerprints)
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	tmp, err := os.CreateTemp(filepath.Dir(path), ".iamvet-baseline-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Apply marks the findings whose fingerprint is in base (and that nothing
// else suppresses) as suppressed by the baseline, and splits them: kept in
// order, and suppressed (every finding already suppressed included).
// source names the baseline file in the suppression's reason.
func Apply(findings []*rules.Finding, base map[string]bool, source string) (kept, suppressed []*rules.Finding) {
	for _, f := range findings {
		if f.Suppressed == nil && base[f.Fingerprint] {
			f.Suppressed = &rules.Suppression{Kind: Kind, ID: f.Fingerprint, Reason: "in baseline " + source}
		}
		if f.Suppressed != nil {
			suppressed = append(suppressed, f)
		} else {
			kept = append(kept, f)
		}
	}
	return kept, suppressed
}
