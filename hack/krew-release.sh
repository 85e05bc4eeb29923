#!/usr/bin/env bash
# Build the kubectl-kongchuo release archives and the krew plugin manifest that points at them:
#
#   hack/krew-release.sh v0.3.0 https://git.example.org/kongchuo/releases/download/v0.3.0 https://git.example.org/kongchuo
#
# writes dist/kubectl-kongchuo_<os>_<arch>.tar.gz for linux and darwin (amd64, arm64) and
# windows/amd64, and dist/kongchuo.yaml: plugins/kongchuo.yaml with the version, the URLs and
# the sha256 of each archive filled in. Upload the archives to the URL, then submit
# dist/kongchuo.yaml to a krew index (krew-index, or your province's own index:
# kubectl krew index add province https://…; kubectl krew install province/kongchuo).
set -euo pipefail
usage="usage: hack/krew-release.sh VERSION BASE_URL HOMEPAGE"
version=${1:?$usage}
base=${2:?$usage}
homepage=${3:?$usage}
platforms=${PLATFORMS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64"}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist="$root/dist"
rm -rf "$dist" && mkdir -p "$dist"
manifest=$(<"$root/plugins/kongchuo.yaml")
manifest=${manifest//"{{VERSION}}"/"$version"}
manifest=${manifest//"{{HOMEPAGE}}"/"$homepage"}
for p in $platforms; do
  os=${p%/*} arch=${p#*/}
  work=$(mktemp -d)
  exe=kubectl-kongchuo
  [ "$os" = windows ] && exe=kubectl-kongchuo.exe
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath \
    -ldflags "-s -w -X kongchuo.io/kongchuo/internal/cli.Version=$version" -o "$work/$exe" "$root/cmd/kubectl-kongchuo"
  cp "$root/hack/kubectl_complete-kongchuo" "$work/"
  archive="kubectl-kongchuo_${os}_${arch}.tar.gz"
  tar -C "$work" -czf "$dist/$archive" .
  rm -rf "$work"
  sum=$(sha256sum "$dist/$archive" | cut -d' ' -f1)
  manifest=${manifest//"{{URL_${os}_${arch}}}"/"$base/$archive"}
  manifest=${manifest//"{{SHA256_${os}_${arch}}}"/"$sum"}
  echo ">> $archive $sum"
done
printf '%s\n' "$manifest" > "$dist/kongchuo.yaml"
if grep -q '{{' "$dist/kongchuo.yaml"; then
  echo "dist/kongchuo.yaml still has placeholders: PLATFORMS must cover every platform of plugins/kongchuo.yaml" >&2
  exit 1
fi
echo ">> wrote $dist/kongchuo.yaml"
