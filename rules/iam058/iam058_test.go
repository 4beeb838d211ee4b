package iam058_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam058"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam058.Rule, "testdata/*.yaml") }
