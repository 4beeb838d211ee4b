package iam040_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam040"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam040.Rule, "testdata/*.yaml") }
