package exposure

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iamvet/iamvet/internal/iampolicy"
	"github.com/iamvet/iamvet/rules/iam033"
	"github.com/iamvet/iamvet/rules/iam036"
	"github.com/iamvet/iamvet/rules/internal/trust"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

// Trusters returns who a role's trust policy lets assume it, in statement
// and principal order. Statements that allow no AssumeRole action
// (sts:TagSession only), NotPrincipal statements (IAM035) and Deny
// statements are skipped. Users and groups have none.
func (a *Analysis) Trusters(p *stackmodel.Principal) []Truster {
	if ts, ok := a.trusters[p]; ok {
		return ts
	}
	var out []Truster
	if p.Kind == stackmodel.Role && p.Trust != nil {
		denyPin := iam033.DenyPinning(p.Trust)
		for _, st := range p.Trust.Statements {
			if !st.Allow() || st.NotPrincipal || !iam033.GrantsAssume(st) {
				continue
			}
			for _, pr := range st.Principals {
				if t, ok := a.classify(st, pr, denyPin != nil); ok {
					out = append(out, t)
				}
			}
		}
	}
	a.trusters[p] = out
	return out
}

func (a *Analysis) classify(st *iampolicy.Statement, pr iampolicy.Principal, denyPinned bool) (Truster, bool) {
	v := pr.Value
	t := Truster{Statement: st, At: v.At}
	switch pr.Type {
	case "*", "AWS":
		return a.classifyAWS(t, st, pr, denyPinned), true
	case "Service":
		t.Kind, t.Key, t.Label = Service, "service:"+strings.ToLower(v.Text), v.Text
		return t, true
	case "CanonicalUser":
		if v.IsStar() {
			return a.classifyAWS(t, st, iampolicy.Principal{Type: "*", Value: v}, denyPinned), true
		}
		t.Kind, t.Key, t.Label = Canonical, "canonical:"+v.Text, "canonical user "+abbrev(v.Text)
		return t, true
	case "Federated":
		return a.classifyFederated(t, st, v), true
	}
	return t, false
}

func abbrev(s string) string {
	if len(s) > 16 {
		return s[:12] + "…"
	}
	return s
}

func (a *Analysis) classifyAWS(t Truster, st *iampolicy.Statement, pr iampolicy.Principal, denyPinned bool) Truster {
	ap, _ := a.ctx.Classify(pr)
	switch {
	case ap.Public:
		// IAM033's judgement: pinned by a caller-key condition or by a Deny
		// of the same trust policy denying everyone outside them.
		t.Kind, t.Key, t.Label = Public, "public", "every AWS principal (*)"
		if denyPinned || trust.OpaqueConditionValues(st) || iam033.CallerPinned(st) {
			t.Short = "pinned by condition"
			return t
		}
		t.Who = "any AWS principal in any account"
		t.Why = fmt.Sprintf("%s with no condition pinning the caller's organization, account or ARN", iam033.RenderPublic(pr))
		t.Exposure, t.Short = Open, "unpinned *"
		if iam033.NetworkOnly(st) {
			t.Exposure, t.Short = Narrow, "* (network only)"
			t.Why = fmt.Sprintf("%s restricted only by network origin", iam033.RenderPublic(pr))
		}
		return t
	case !ap.Known:
		t.Kind, t.Key, t.Label = Other, "aws:"+pr.Value.Text, pr.Value.Text
		return t
	case ap.Kind == trust.Role || ap.Kind == trust.User:
		if id, ok := inStackID(pr.Value.Text); ok {
			if ip := a.Model.Principal(id); ip != nil {
				t.Kind, t.Key, t.Principal = InStack, "principal:"+id, ip
				t.Label = string(ip.Kind) + " " + ip.Resource.Name()
				t.Account, t.SameAccount = ap.Account, true
				return t
			}
		}
	}
	t.Account, t.SameAccount = ap.Account, ap.SameAccount
	t.InAssembly = a.ctx.InAssembly(ap.Account)
	if ap.IsRoot {
		t.Kind, t.Key = Account, "account:"+ap.Account
		t.Label = "account " + ap.Account
		if ap.Account == trust.SameAccountRef {
			t.Label = "this account"
		}
	} else {
		t.Kind, t.Key, t.Label = AWSIdent, "aws:"+pr.Value.Text, string(ap.Kind)+" "+pr.Value.Text
	}
	if iam036.Offends(st, ap) && !t.InAssembly {
		t.Exposure, t.Short = Open, "no ExternalId"
		who := "account " + ap.Account
		switch {
		case ap.IsRoot:
			who += " (every principal of that account)"
		case ap.WildcardInARN:
			who = fmt.Sprintf("every %s matching %s in account %s", ap.Kind, pr.Value.Text, ap.Account)
		default:
			who = fmt.Sprintf("%s %s of account %s", ap.Kind, pr.Value.Text, ap.Account)
		}
		t.Who = who + ", a third party"
		t.Why = "no " + trust.KeyNames("sts:ExternalId", "aws:PrincipalOrgID", "aws:PrincipalArn") + " condition, and the account is not one this cloud assembly deploys to"
	}
	return t
}

// inStackID returns X of "${X.Arn}".
func inStackID(text string) (string, bool) {
	if strings.HasPrefix(text, "${") && strings.HasSuffix(text, ".Arn}") && strings.Count(text, "${") == 1 {
		return strings.TrimSuffix(strings.TrimPrefix(text, "${"), ".Arn}"), true
	}
	return "", false
}

// Paths returns how outsiders reach a role, worst first (Open before
// Narrow, then shorter paths, then trust policy order): directly through
// an exposed truster, or through an in-stack role or user that its trust
// policy names by ARN (same-account principals named by ARN need no
// permission of their own) and that outsiders reach in turn. Nil when the
// role is not exposed.
func (a *Analysis) Paths(p *stackmodel.Principal) []Path {
	if a.paths == nil {
		a.computePaths()
	}
	return a.paths[p]
}

// computePaths finds every principal's paths: the direct ones, then
// chains through in-stack principals until nothing changes (a chain never
// passes through the same principal twice).
func (a *Analysis) computePaths() {
	a.paths = map[*stackmodel.Principal][]Path{}
	for round := 0; round <= len(a.Model.Principals); round++ {
		changed := false
		for _, p := range a.Model.Principals {
			var out []Path
			for _, t := range a.Trusters(p) {
				switch {
				case t.Exposure > NotExposed:
					out = append(out, Path{Exposure: t.Exposure, Hops: []Truster{t}})
				case t.Kind == InStack && t.Principal != nil && t.Principal != p:
					for _, sub := range a.paths[t.Principal] {
						if sub.Through(p) {
							continue
						}
						out = append(out, Path{Exposure: sub.Exposure, Hops: append([]Truster{t}, sub.Hops...)})
						break // the worst one is enough
					}
				}
			}
			sort.SliceStable(out, func(i, j int) bool {
				if out[i].Exposure != out[j].Exposure {
					return out[i].Exposure > out[j].Exposure
				}
				return len(out[i].Hops) < len(out[j].Hops)
			})
			if !samePaths(out, a.paths[p]) {
				a.paths[p] = out
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

func samePaths(a, b []Path) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Exposure != b[i].Exposure || len(a[i].Hops) != len(b[i].Hops) {
			return false
		}
		for j := range a[i].Hops {
			if a[i].Hops[j].At != b[i].Hops[j].At || a[i].Hops[j].Key != b[i].Hops[j].Key {
				return false
			}
		}
	}
	return true
}
