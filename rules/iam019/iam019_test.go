package iam019_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam019"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam019.Rule, "testdata/*.yaml") }
