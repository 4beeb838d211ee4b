package iam057_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam057"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam057.Rule, "testdata/*.yaml") }
