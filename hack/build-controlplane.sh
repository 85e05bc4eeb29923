#!/usr/bin/env bash
# Builds the local control plane (kube-apiserver and etcd) from the Go module proxy, because
# downloads of prebuilt binaries fail on our machines. Prints the folder to use as
# KUBEBUILDER_ASSETS.
#
# Each binary is keyed by its version and a hash of its module files. A build is looked up in
#   1. bin/k8s/<key>/                       (this checkout)
#   2. $KONGCHUO_CACHE/controlplane/<key>/  (per user; default ~/.cache/kongchuo)
# and only built when neither has it, so a fresh clone copies instead of rebuilding.
set -euo pipefail

K8S_VERSION=v1.37.2
K8S_MINOR=37

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
modules="$root/hack/controlplane"
cache_root="${KONGCHUO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kongchuo}/controlplane"

module_hash() {
  cat "$1"/go.mod "$1"/go.sum "$1"/*.go 2>/dev/null | sha256sum | cut -c1-12
}

etcd_version=$(awk '$1=="go.etcd.io/etcd/server/v3"{print $2}' "$modules/kube-apiserver/go.mod")
[ -n "$etcd_version" ] || etcd_version=$(awk '$2=="go.etcd.io/etcd/server/v3"{print $3}' "$modules/etcd/go.mod")
key="k8s-${K8S_VERSION}-etcd-${etcd_version}-$(cat <(module_hash "$modules/kube-apiserver") <(module_hash "$modules/etcd") | sha256sum | cut -c1-8)"
assets="$root/bin/k8s/$key"
cache="$cache_root/$key"

build_kube_apiserver() {
  local ldflags="-s -w"
  ldflags+=" -X k8s.io/component-base/version.gitVersion=$K8S_VERSION"
  ldflags+=" -X k8s.io/component-base/version.gitMajor=1"
  ldflags+=" -X k8s.io/component-base/version.gitMinor=$K8S_MINOR"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
  (cd "$modules/kube-apiserver" && go build -trimpath -ldflags "$ldflags" -o "$1" k8s.io/kubernetes/cmd/kube-apiserver)
}

build_etcd() {
  (cd "$modules/etcd" && go build -trimpath -ldflags "-s -w" -o "$1" .)
}

# ensure NAME: puts bin/k8s/<key>/NAME in place from the cache, or builds it into both.
ensure() {
  local name=$1
  [ -x "$assets/$name" ] && return 0
  mkdir -p "$assets" "$cache"
  if [ ! -x "$cache/$name" ]; then
    echo ">> building $name (cold: kube-apiserver takes about 12 minutes on 2 cores)" >&2
    local start=$SECONDS tmp="$cache/.$name.$$"
    "build_${name//-/_}" "$tmp"
    mv -f "$tmp" "$cache/$name"
    echo ">> built $name in $((SECONDS - start))s, cached in $cache" >&2
  fi
  cp -f "$cache/$name" "$assets/.$name.$$"
  mv -f "$assets/.$name.$$" "$assets/$name"
}

ensure etcd
ensure kube-apiserver
ln -sfn "$key" "$root/bin/k8s/current"
echo "$assets"
