package iam003_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam003"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam003.Rule, "testdata/*.yaml") }
