package iam051_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam051"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam051.Rule, "testdata/*.yaml") }
