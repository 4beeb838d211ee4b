package iam026_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam026"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam026.Rule, "testdata/*.yaml") }
