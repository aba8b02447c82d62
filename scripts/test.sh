#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests, then the browser tests
# (Playwright driving Debian's Chromium against a real `eligo serve`).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --bin eligo
cargo test --workspace

if [ -f tests/browser/package.json ]; then
    ELIGO_BIN="$PWD/target/debug/eligo" node --test tests/browser/
fi
