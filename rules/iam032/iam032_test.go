package iam032_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam032"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam032.Rule, "testdata/*.yaml") }
