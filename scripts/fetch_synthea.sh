#!/usr/bin/env bash
# Downloads the five real Synthea R4 bundles the FHIR reader is measured on (BENCHMARKS.md,
# "FHIR bundles: facts read per resource type") into DIR, pinned to the commits they were read at.
# Two of them are also the test fixtures in crates/eligo-patient/tests/fixtures/synthea/ (minified).
# Sources and licences: SOURCES.md. Usage: scripts/fetch_synthea.sh DIR
set -euo pipefail
dir=${1:?usage: scripts/fetch_synthea.sh DIR}
mkdir -p "$dir"
iris=https://raw.githubusercontent.com/intersystems-community/iris-fhir-template/d1e4baaab40cd5d06a1060abcca859b6ab33cb47/data/fhir
pipes=https://raw.githubusercontent.com/google/fhir-data-pipes/903480f99810e4e9409345abace4a5595b606810/synthea-hiv/sample_data
for url in \
  "$iris/Carroll471_O'Hara248_274f5452-2a39-44c4-a7cb-f36de467762e.json" \
  "$iris/Kallie862_Frami345_9a0d7938-4f49-43f6-8eea-b22e1bbe1b74.json" \
  "$iris/Lean294_Davis923_3e36b31d-3c32-43b4-b016-b46a90c2e50f.json" \
  "$iris/Margie619_Hettinger594_29428a22-5f03-492e-83bb-da34bb2a12c9.json" \
  "$pipes/Cecelia952_Romaguera67_f1731e33-dc55-4ee8-72d7-cece2e49bedd.json"; do
  name=${url##*/}
  [ -s "$dir/$name" ] || curl -fsSL --retry 3 -o "$dir/$name" "${url//\'/%27}"
  echo "$dir/$name"
done
