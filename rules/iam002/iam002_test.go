package iam002_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam002"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam002.Rule, "testdata/*.yaml") }
