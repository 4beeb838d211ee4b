package iam059

import (
	"regexp"
	"testing"

	"github.com/iamvet/iamvet/internal/iamdata"
	"github.com/iamvet/iamvet/rules/iam061"
)

// TestOwnFormats checks every action that supports resource-level
// permissions against an instance of each of its resource types' ARN
// formats: none may be reported as a mismatch, or the reading of the
// catalogue's formats is wrong.
func TestOwnFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes the whole catalogue")
	}
	ph := regexp.MustCompile(`\$\{[^}]*\}`)
	n, bad := 0, 0
	defer func() { t.Logf("checked %d action/resource type pairs", n) }()
	for _, svc := range iamdata.Services() {
		for _, a := range svc.Actions {
			if !a.SupportsResourceLevel() {
				continue
			}
			for _, rt := range a.ResourceTypes {
				f := svc.ResourceARNs[rt.Name]
				inst := ph.ReplaceAllStringFunc(f, func(m string) string {
					switch m {
					case "${Partition}":
						return "aws"
					case "${Region}":
						return "us-east-1"
					case "${Account}":
						return "111111111111"
					}
					return "x"
				})
				arn, ok := iam061.SplitARN(inst)
				if !ok {
					t.Errorf("unsplittable %s %s", a.FullName(), f)
					continue
				}
				r := resource{compile("arn", nil, false), compile(arn.Partition, nil, false), compile(arn.Service, nil, false), compile(arn.Region, nil, false), compile(arn.Account, nil, false), compile(arn.Resource, nil, false)}
				n++
				if _, dead := deadAction(a.FullName(), []*resource{&r}, map[match]bool{}); dead {
					bad++
					if bad < 20 {
						t.Errorf("%s reported as unable to act on its own resource type %s: %s", a.FullName(), rt.Name, inst)
					}
				}
			}
		}
	}
}
