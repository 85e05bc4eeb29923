#!/usr/bin/env bash
# hack/apply-demo-agreements.sh FILE: server-side apply of the demo's agreements for make run
# (KUBECONFIG from the environment).
set -euo pipefail
file=${1:?usage: hack/apply-demo-agreements.sh AGREEMENTS.yaml}
# Agreements edited by hand since the last run (the user guide's tour patches one) conflict with
# the demo's own: the demo is restored, and we say so, rather than failing on the conflict.
if ! conflict=$(kubectl apply --server-side -f "$file" 2>&1 >/dev/null); then
  if ! grep -q -i conflict <<<"$conflict"; then
    echo "$conflict" >&2
    exit 1
  fi
  echo ">> the demo agreements were changed since the last run (for example by the tour's kubectl patch): restoring the demo's values"
  echo "   (the demo county is regenerated on every run; edits made with kubectl last until the next make run)"
  kubectl apply --server-side --force-conflicts -f "$file" >/dev/null
fi
