package iam064_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam064"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam064.Rule, "testdata/*.yaml") }
