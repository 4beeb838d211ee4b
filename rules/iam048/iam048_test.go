package iam048_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam048"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam048.Rule, "testdata/*.yaml") }
