// Command kubectl-kongchuo is the kongchuo kubectl plugin: kubectl kongchuo import|record|
// record-file|close|ledger|queue|version|completion. Put it on the PATH and run
// "kubectl kongchuo --help".
package main

import (
	"os"
	_ "time/tzdata" // Asia/Shanghai even where the system has no zoneinfo

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"kongchuo.io/kongchuo/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}))
}
