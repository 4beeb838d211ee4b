package iam042_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam042"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam042.Rule, "testdata/*.yaml") }
