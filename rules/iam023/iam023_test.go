package iam023_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam023"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam023.Rule, "testdata/*.yaml") }
