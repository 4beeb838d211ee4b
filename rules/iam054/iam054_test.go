package iam054_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam054"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam054.Rule, "testdata/*.yaml") }
