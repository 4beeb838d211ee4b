module github.com/iamvet/iamvet

go 1.26.8

require (
	github.com/awslabs/goformation/v7 v7.14.9
	github.com/fatih/color v1.19.0
	github.com/mattn/go-isatty v0.0.20
	github.com/owenrumney/go-sarif/v2 v2.3.3
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	golang.org/x/tools v0.52.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/mattn/go-colorable v0.1.14 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.14.0 // indirect
)
