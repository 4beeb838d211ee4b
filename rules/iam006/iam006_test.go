package iam006_test

import (
	"testing"

	"github.com/iamvet/iamvet/rules/iam006"
	"github.com/iamvet/iamvet/rules/rulestest"
)

func Test(t *testing.T) { rulestest.Run(t, iam006.Rule, "testdata/*.yaml") }
