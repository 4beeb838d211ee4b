package iam013_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam013"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam013.Rule, "testdata/*.yaml") }
