package trust

import "github.com/iamvet/iamvet/loader"

// assemblyAccounts returns the accounts of every stack environment of the
// cloud assembly the stack was loaded from (including Stage assemblies),
// sorted. Plain templates have none.
func assemblyAccounts(s *loader.Stack) []string {
	if s == nil {
		return nil
	}
	return s.AssemblyAccounts
}
