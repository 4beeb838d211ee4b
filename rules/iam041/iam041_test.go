package iam041_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam041"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam041.Rule, "testdata/*.yaml") }
