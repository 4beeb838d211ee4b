package iam060_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam060"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam060.Rule, "testdata/*.yaml") }
