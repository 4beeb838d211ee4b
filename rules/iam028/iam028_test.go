package iam028_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam028"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam028.Rule, "testdata/*.yaml") }
