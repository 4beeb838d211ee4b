package iam011_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam011"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam011.Rule, "testdata/*.yaml") }
