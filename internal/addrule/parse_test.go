package main

import (
	"go/parser"
	"go/token"
)

func parseGo(src string) error {
	_, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.AllErrors)
	return err
}
