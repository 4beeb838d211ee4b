package privesc

import (
	"github.com/iamvet/iamvet/internal/iampolicy"
)

// PassKeys are the condition keys that limit where iam:PassRole hands a
// role (the receiving service, the resource it is attached to), not which
// role is passed.
var PassKeys = []string{"iam:PassedToService", "iam:AssociatedResourceArn"}

// PassRoleValues returns the known action values of an Allow statement that
// grant iam:PassRole: "iam:PassRole" in any case and the patterns covering
// it ("iam:Pass*", "iam:*"), but not "*" (administrator access).
func PassRoleValues(st *iampolicy.Statement) []iampolicy.Value {
	if Skipped(st.Doc) || !st.Allow() || st.NotAction {
		return nil
	}
	var out []iampolicy.Value
	for _, v := range st.Actions {
		if v.Known && !IsFull(v) && Covers(v, "iam:PassRole") {
			out = append(out, v)
		}
	}
	return out
}

// PassRoleUnconstrained reports whether a statement reaches every role for
// iam:PassRole: IAM023's case. Conditions on PassKeys do not narrow the
// roles.
func PassRoleUnconstrained(st *iampolicy.Statement) bool {
	return Unconstrained(st, PassKeys...)
}
