package iam046_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam046"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam046.Rule, "testdata/*.yaml") }
