package iam047_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam047"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam047.Rule, "testdata/*.yaml") }
