package iam044_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam044"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam044.Rule, "testdata/*.yaml") }
