package iam016_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam016"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam016.Rule, "testdata/*.yaml") }
