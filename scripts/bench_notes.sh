#!/usr/bin/env bash
# Note reading against note length (issue 19): three shapes of note (dense findings with a
# sentence end every 200 of them, the same findings as one sentence, a discharge summary of
# repeated admissions) from 1 KB to MAX_KB (default 1024) by factors of 4, each read once by
# `eligo_patient::note::read_note`. A flat "ms per KB" column is a linear reader; the issue asks
# for < 1 s at 1 MB for each shape. Results go to bench-out/notes.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
MAX_KB=${MAX_KB:-1024}
mkdir -p bench-out
cargo build --release --quiet -p eligo-patient --example note_scaling
"${CARGO_TARGET_DIR:-target}/release/examples/note_scaling" "$MAX_KB" | tee bench-out/notes.txt
