package scope

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules/internal/trust"
)

// broadARN reports whether a resource value names every resource of a
// service, which service ("" for "*", which names every resource of every
// service) and, when the ARN names every resource of one type ("table/*"),
// that type. An ARN is broad when its resource part is all wildcards
// ("arn:aws:s3:::*", "arn:aws:kms:*:*:*") or a resource type of the
// service followed by wildcards only ("table/*", "role/*", "key/*",
// "log-group:*"); the region and account may be anything. Unresolved
// service or resource parts are not broad.
func broadARN(v iampolicy.Value) (svc, typ string, ok bool) {
	if v.IsStar() {
		return "", "", true
	}
	if !strings.Contains(v.Text, "*") {
		return "", "", false // the resource part needs one (allWild); most ARNs have none
	}
	parts := trust.SplitARN(v.Text)
	if len(parts) != 6 || parts[0] != "arn" {
		return "", "", false
	}
	svc, res := strings.ToLower(parts[2]), parts[5]
	if svc == "" || strings.Contains(svc, "${") || res == "" || strings.Contains(res, "${") {
		return "", "", false
	}
	if trust.AllWild(res) {
		if strings.Trim(svc, "*") == "" {
			return "", "", true // arn:aws:*:*:*:* is "*"
		}
		return svc, "", true
	}
	if strings.ContainsAny(svc, "*?") {
		return "", "", false
	}
	s := iamdata.LookupService(svc)
	if s == nil {
		return "", "", false
	}
	found := ""
	for _, f := range formatsOf(s) {
		if rest, ok := strings.CutPrefix(res, f.prefix); ok && trust.AllWild(rest) {
			// Prefer the type whose ARN is the prefix and one name
			// (table/${TableName}) over longer ones sharing the prefix
			// (table/${TableName}/index/${IndexName}).
			if f.single {
				return svc, f.name, true
			}
			if found == "" {
				found = f.name
			}
		}
	}
	if found != "" {
		return svc, found, true
	}
	return "", "", false
}

// arnFormat is a resource type's ARN format reduced to what broadARN needs.
type arnFormat struct {
	name, prefix string
	single       bool // the format is the prefix and one variable
}

var formats sync.Map // *iamdata.Service → []arnFormat

// formatsOf returns a service's resource types with a literal prefix,
// sorted by name, computed once per service.
func formatsOf(s *iamdata.Service) []arnFormat {
	if v, ok := formats.Load(s); ok {
		return v.([]arnFormat)
	}
	names := make([]string, 0, len(s.ResourceARNs))
	for name := range s.ResourceARNs {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []arnFormat
	for _, name := range names {
		fp := trust.SplitARN(s.ResourceARNs[name])
		if len(fp) != 6 {
			continue
		}
		prefix, after, _ := strings.Cut(fp[5], "${")
		if prefix == "" {
			continue
		}
		_, tail, _ := strings.Cut(after, "}")
		out = append(out, arnFormat{name: name, prefix: prefix, single: tail == ""})
	}
	formats.Store(s, out)
	return out
}

var targets sync.Map // *iamdata.Action → []string

// targetServices returns the services whose ARNs an action acts on: its
// own, and those in the ARN formats of its resource types (sts:AssumeRole
// acts on iam roles, arn:aws:iam::…:role/…).
func targetServices(a *iamdata.Action) []string {
	if v, ok := targets.Load(a); ok {
		return v.([]string)
	}
	out := []string{a.Service}
	if s := iamdata.LookupService(a.Service); s != nil {
		for _, rt := range a.ResourceTypes {
			p := trust.SplitARN(s.ResourceARNs[rt.Name])
			if len(p) != 6 {
				continue
			}
			svc := strings.ToLower(p[2])
			if svc != "" && !strings.Contains(svc, "${") && !slices.Contains(out, svc) {
				out = append(out, svc)
			}
		}
	}
	targets.Store(a, out)
	return out
}
