#!/usr/bin/env bash
# Builds the manager as the container image ships it: static (no cgo), reproducible paths
# (-trimpath), stripped, with the version stamped. The Dockerfile's build stage runs this script,
# and so do `make build-static` and internal/install's image test, so CI exercises the same
# command even where no container tool exists.
#
#   hack/build-manager.sh OUTPUT [VERSION]
set -euo pipefail

out=${1:?usage: hack/build-manager.sh OUTPUT [VERSION]}
version=${2:-${VERSION:-dev}}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

cd "$root"
CGO_ENABLED=0 go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X kongchuo.io/kongchuo/internal/version.Version=${version}" \
  -o "$out" ./cmd/manager
