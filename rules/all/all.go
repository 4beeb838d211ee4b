// Package all registers every iamvet rule. Adding a rule is one package
// under rules/ and one import line here.
package all

import (
	// Each import registers one rule.
	_ "github.com/iamvet/iamvet/rules/iam001"
	_ "github.com/iamvet/iamvet/rules/iam002"
	_ "github.com/iamvet/iamvet/rules/iam005"
	_ "github.com/iamvet/iamvet/rules/iam009"
	_ "github.com/iamvet/iamvet/rules/iam010"
	_ "github.com/iamvet/iamvet/rules/iam011"
	_ "github.com/iamvet/iamvet/rules/iam012"
	_ "github.com/iamvet/iamvet/rules/iam013"
	_ "github.com/iamvet/iamvet/rules/iam015"
	_ "github.com/iamvet/iamvet/rules/iam017"
	_ "github.com/iamvet/iamvet/rules/iam018"
	_ "github.com/iamvet/iamvet/rules/iam028"
	_ "github.com/iamvet/iamvet/rules/iam029"
	_ "github.com/iamvet/iamvet/rules/iam030"
	_ "github.com/iamvet/iamvet/rules/iam031"
	_ "github.com/iamvet/iamvet/rules/iam032"
	_ "github.com/iamvet/iamvet/rules/iam033"
	_ "github.com/iamvet/iamvet/rules/iam034"
	_ "github.com/iamvet/iamvet/rules/iam035"
	_ "github.com/iamvet/iamvet/rules/iam036"
	_ "github.com/iamvet/iamvet/rules/iam037"
	_ "github.com/iamvet/iamvet/rules/iam038"
	_ "github.com/iamvet/iamvet/rules/iam039"
	_ "github.com/iamvet/iamvet/rules/iam040"
	_ "github.com/iamvet/iamvet/rules/iam044"
	_ "github.com/iamvet/iamvet/rules/iam047"
	_ "github.com/iamvet/iamvet/rules/iam048"
	_ "github.com/iamvet/iamvet/rules/iam049"
	_ "github.com/iamvet/iamvet/rules/iam050"
	_ "github.com/iamvet/iamvet/rules/iam060"
)
