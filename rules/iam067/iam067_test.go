package iam067_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam067"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam067.Rule, "testdata/*.yaml") }
