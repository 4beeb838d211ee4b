package iam005_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam005"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam005.Rule, "testdata/*.yaml") }
