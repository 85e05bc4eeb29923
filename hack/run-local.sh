#!/usr/bin/env bash
# make run: a local control plane, the CRDs, the demo county, and the manager in the foreground.
# Ctrl-C stops everything this script started. State lives in .local/ (git-ignored); delete it
# for a clean start.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
local_dir="$root/.local"
export KUBECONFIG="$local_dir/kubeconfig"
ns=demo-county
pids=()

cleanup() {
  trap - INT TERM EXIT
  echo ">> stopping (manager, kube-apiserver, etcd)"
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup INT TERM EXIT

metrics_addr=127.0.0.1:18080
probe_addr=127.0.0.1:18081
for addr in $metrics_addr $probe_addr; do
  if (exec 3<>"/dev/tcp/${addr%:*}/${addr#*:}") 2>/dev/null; then
    echo "port ${addr#*:} is already in use: is another 'make run' still running? Stop it first." >&2
    exit 1
  fi
done

assets=$(hack/build-controlplane.sh)
mkdir -p "$local_dir"
rm -f "$KUBECONFIG"
echo ">> starting kube-apiserver and etcd (data in .local/etcd)"
bin/localcluster --assets "$assets" --data-dir "$local_dir/etcd" --kubeconfig "$KUBECONFIG" --crds config/crd/bases &
pids+=($!)
for _ in $(seq 1 120); do
  [ -s "$KUBECONFIG" ] && kubectl get --raw /readyz >/dev/null 2>&1 && break
  sleep 0.5
done
kubectl get --raw /readyz >/dev/null || { echo "control plane did not become ready" >&2; exit 1; }
echo ">> installing the admission policies (config/admission), as config/default does"
kubectl apply --server-side -k config/admission >/dev/null

today=$(TZ=Asia/Shanghai date +%F)
echo ">> generating the demo county for $today"
go run ./hack/demo -out "$local_dir/demo" -today "$today" >/dev/null
kubectl apply --server-side -f "$local_dir/demo/namespace.yaml" >/dev/null
hack/apply-demo-agreements.sh "$local_dir/demo/agreements.yaml"
kubectl apply --server-side -f "$local_dir/demo/reports.yaml" >/dev/null
bin/kubectl-kongchuo import registry "$local_dir/demo/registry.csv" -n "$ns" || [ $? -eq 1 ]
bin/kubectl-kongchuo import attendance "$local_dir/demo/attendance.csv" -n "$ns" || [ $? -eq 1 ]

echo ">> starting the manager"
bin/manager --metrics-bind-address=$metrics_addr --metrics-secure=false \
  --health-probe-bind-address=$probe_addr --zap-encoder=console &
pids+=($!)
for _ in $(seq 1 60); do
  kill -0 "${pids[1]}" 2>/dev/null || { echo "the manager exited; see its output above" >&2; exit 1; }
  curl -sf "http://$probe_addr/readyz" >/dev/null && break
  sleep 0.5
done
echo ">> recording the demo's case actions once the cases open"
bin/kubectl-kongchuo record-file "$local_dir/demo/actions.csv" -n "$ns" --wait 2m || true

cat <<MSG

kongchuo is running with the demo county (namespace $ns). In another terminal:

  export KUBECONFIG=$KUBECONFIG
  kubectl get kongchuo -A
  kubectl get dc -n $ns
  kubectl explain student.spec

Metrics: curl -s http://$metrics_addr/metrics | grep kongchuo_
Press Ctrl-C to stop everything.
MSG
wait "${pids[1]}"
