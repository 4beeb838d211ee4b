package iam021_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam021"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam021.Rule, "testdata/*.yaml") }
