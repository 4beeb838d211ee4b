// Command iamvet checks the IAM in AWS CDK cloud assemblies (cdk.out) and
// CloudFormation templates against AWS's IAM best practices.
package main

import (
	"os"

	"github.com/iamvet/iamvet/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
