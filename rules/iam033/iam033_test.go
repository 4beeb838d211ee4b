package iam033_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam033"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam033.Rule, "testdata/*.yaml") }
