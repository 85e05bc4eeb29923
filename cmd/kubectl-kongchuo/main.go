// Command kubectl-kongchuo is the kongchuo kubectl plugin: kubectl kongchuo import|record|close|ledger.
// Put it on the PATH and run "kubectl kongchuo help".
package main

import (
	"os"
	_ "time/tzdata" // Asia/Shanghai even where the system has no zoneinfo

	"kongchuo.io/kongchuo/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
