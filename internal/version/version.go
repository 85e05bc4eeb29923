// Package version holds the build's version, stamped at link time by hack/build-manager.sh
// (-ldflags -X kongchuo.io/kongchuo/internal/version.Version=v0.1.0), the script the Dockerfile
// and `make build-static` both run.
package version

import "runtime"

// Version is the release (a Git tag such as v0.1.0); "dev" for a plain `go build`.
var Version = "dev"

// String is what `manager --version` prints: the release and the Go toolchain that built it.
func String() string { return "kongchuo " + Version + " (" + runtime.Version() + ")" }
