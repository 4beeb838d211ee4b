package iam050_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam050"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam050.Rule, "testdata/*.yaml") }
