package iam020_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam020"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam020.Rule, "testdata/*.yaml") }
