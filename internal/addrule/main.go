// Command addrule scaffolds a new iamvet rule: it picks the next free rule
// id, writes rules/iamNNN/{iamNNN.go, iamNNN_test.go, testdata/<slug>.yaml}
// and adds the registry line to rules/all/all.go.
//
//	go run ./internal/addrule [-severity medium] [-title "statement …"] <slug>
//
// Run it from the repository root. Ids are never reused: the next id is one
// above the highest id that exists or ever existed (rules/all/retired.txt).
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	severity := flag.String("severity", "medium", "default severity: low, medium, high or critical")
	title := flag.String("title", "", "rule title (lowercase, ≤60 letters, no final period)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/addrule [-severity S] [-title T] <slug>")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	id, files, err := Scaffold(".", flag.Arg(0), *title, *severity)
	if err != nil {
		fmt.Fprintf(os.Stderr, "addrule: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("created %s:\n", id)
	for _, f := range files {
		fmt.Println("  " + f)
	}
	fmt.Println("next: write the rule and its fixture, then go test ./rules/... ./internal/docgen -update")
}
