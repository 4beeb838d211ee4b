package exposure

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamvet/iamvet/loader"
	"github.com/iamvet/iamvet/rules/stackmodel"
)

func analyze(t *testing.T, file string) *Analysis {
	t.Helper()
	res := loader.Load([]string{file}, loader.Options{})
	if len(res.Errors) > 0 || len(res.Stacks) != 1 {
		t.Fatalf("load: %v", res.Errors)
	}
	return Analyze(stackmodel.Build(res.Stacks[0]))
}

func TestCapabilities(t *testing.T) {
	a := analyze(t, "testdata/grades.yaml")
	for _, tc := range []struct {
		id    string
		level Level
		what  string
	}{
		{"Admin", Admin, `"*" on every resource`},
		{"Writer", Write, "s3:PutObject"},
		{"Reader", Read, "logs:Describe*"},
		{"Empty", None, ""},
		{"Ungraded", Unknown, ""},
		{"UngradedButWrites", Write, "logs:CreateLogGroup"},
		{"Ops", PrivilegeEscalation, "iam:* on every resource (full control of iam: it can grant itself any permission)"},
		{"Dev", PrivilegeEscalation, "iam:* on every resource (full control of iam: it can grant itself any permission)"}, // through its group
	} {
		c := a.Capabilities(a.Model.Principal(tc.id), AnySession)
		what := ""
		if g := c.Top(); g != nil {
			what = g.What
		}
		if c.Level != tc.level || what != tc.what {
			t.Errorf("%s: %v %q, want %v %q", tc.id, c.Level, what, tc.level, tc.what)
		}
	}
	if !PermissionsManagement.Privileged() || Write.Privileged() || Unknown.Privileged() {
		t.Error("Privileged is wrong")
	}
}

func TestTrusters(t *testing.T) {
	a := analyze(t, "testdata/grades.yaml")
	var got []string
	for _, tr := range a.Trusters(a.Model.Principal("Admin")) {
		got = append(got, fmt.Sprintf("%s %s %q %s", tr.Kind, tr.Key, tr.Label, tr.Exposure))
	}
	want := []string{
		`service service:lambda.amazonaws.com "lambda.amazonaws.com" none`,
		`principal principal:Dev "user Dev" none`,
		`account account:222222222222 "account 222222222222" open`,
		`account account:111111111111 "account 111111111111" open`, // plain template: own account unknown
		`saml saml:Corp "SAML provider Corp" none`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trusters:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ps := a.Paths(a.Model.Principal("Admin")); len(ps) != 2 || ps[0].Source().Key != "account:222222222222" {
		t.Errorf("paths: %+v", ps)
	}
	w := a.Trusters(a.Model.Principal("Writer"))
	if len(w) != 1 || w[0].Kind != Cognito || w[0].Exposure != NotExposed || !w[0].WebIdentity {
		t.Errorf("cognito without amr: %+v", w)
	}
}

func TestPaths(t *testing.T) {
	a := analyze(t, "testdata/chains.yaml")
	for id, want := range map[string]string{
		"A": "open public",
		"B": "open principal:A public",
		"C": "open principal:B principal:A public",
		"D": "",
		"U": "",
	} {
		got := ""
		if ps := a.Paths(a.Model.Principal(id)); len(ps) > 0 {
			got = ps[0].Exposure.String()
			for _, h := range ps[0].Hops {
				got += " " + h.Key
			}
		}
		if got != want {
			t.Errorf("Paths(%s) = %q, want %q", id, got, want)
		}
	}
	p := a.Paths(a.Model.Principal("B"))[0]
	if !p.Through(a.Model.Principal("A")) || p.Through(a.Model.Principal("C")) || p.Session() != AnySession {
		t.Errorf("Through/Session wrong for %+v", p)
	}
}
