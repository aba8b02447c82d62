#!/usr/bin/env bash
# The HTTP contract, against the real `eligo` binary serving a fresh demo corpus on loopback:
# schemathesis generates requests from the served OpenAPI document (fixed seed and example count,
# settings and the stated exceptions in schemathesis.toml; the per-client rate limit is off, since
# one client sends every request and a 429 would hide the answer under test), then scripts/validate_fhir.py checks
# the FHIR answers against the R4 models of `fhir.resources`. The Python tools live in the venvs
# .ci/run creates (ELIGO_CONTRACT_VENV, ELIGO_FHIR_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
contract_venv=${ELIGO_CONTRACT_VENV:-$target/venv-contract}
fhir_venv=${ELIGO_FHIR_VENV:-$target/venv-fhir}

data=$(mktemp -d)
"$target/debug/eligo" --data-dir "$data/demo" --quiet demo --count 300 --addr 127.0.0.1:0 \
    --client-rate-per-minute 0 >"$data/server.out" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 180); do
    grep -q 'serving' "$data/server.out" && break
    kill -0 "$server" 2>/dev/null || { cat "$data/server.out"; exit 1; }
    sleep 1
done
base=$(grep -o 'http://[0-9.:]*' "$data/server.out" | head -1)
[ -n "$base" ] || { echo "eligo demo did not start"; cat "$data/server.out"; exit 1; }

"$contract_venv/bin/schemathesis" --config-file schemathesis.toml run "$base/api/v1/openapi.json" \
    --url "$base" --max-examples 10 --workers 1 --seed 1 --no-color
"$fhir_venv/bin/python" scripts/validate_fhir.py "$base"
