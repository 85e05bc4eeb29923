#!/usr/bin/env bash
# Copies what the Helm chart shares with config/ into charts/kongchuo, so there is one source for
# each: the generated CRDs and manager ClusterRole, the staff roles, the alert rules and the Grafana
# dashboard. `make manifests` runs it; internal/install's tests fail when a copy differs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
chart="$root/charts/kongchuo"

rm -f "$chart"/crds/*.yaml
cp "$root"/config/crd/bases/*.yaml "$chart/crds/"
cp "$root/config/rbac/role.yaml" "$chart/files/manager-role.yaml"
for role in viewer editor admin; do
  cp "$root/config/rbac/kongchuo_${role}_role.yaml" "$chart/files/${role}-role.yaml"
done
cp "$root/config/prometheus/prometheusrule.yaml" "$chart/files/prometheusrule.yaml"
cp "$root/config/grafana/kongchuo-dashboard.json" "$chart/files/dashboard.json"
