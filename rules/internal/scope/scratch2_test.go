package scope

import (
	"fmt"
	"testing"

	"github.com/iamvet/iamvet/internal/iamdata"
)

func TestScratch2(t *testing.T) {
	for _, p := range []string{"ec2:Describe*", "config:List*", "config:Get*", "logs:Describe*", "s3:List*", "*:Describe*", "*:List*", "*:Get*"} {
		var names []string
		n, rl := 0, map[iamdata.AccessLevel]int{}
		for _, a := range iamdata.Expand(p) {
			n++
			if a.SupportsResourceLevel() {
				rl[a.Access]++
				if len(names) < 30 {
					names = append(names, fmt.Sprintf("%s%v", a.Name, a.ResourceTypes))
				}
			}
		}
		fmt.Println(p, n, rl, names)
	}
}
