#!/usr/bin/env bash
# Runs every test of waymark, installing what the tests need first.
#
#   scripts/test.sh
#
# Needs the Rust toolchain and Node.js with npm. Installs, when missing:
#   - Debian's chromium (headless browser tests) and a Java runtime (the Nu
#     HTML Checker), with apt-get as root;
#   - the npm test packages (playwright-core, axe-core, vnu-jar) from
#     package-lock.json, without running their install scripts (no browser
#     or Java download: the system's are used).
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

for tool in cargo node npm; do
  if ! need "$tool"; then
    echo "scripts/test.sh: '$tool' is needed and cannot be installed by this script" >&2
    exit 1
  fi
done

missing=()
need chromium || missing+=(chromium)
need java || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test.sh: please install ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "== installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing the npm test packages"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

echo "== formatting and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings

echo "== Rust tests"
cargo test --quiet

echo "== browser tests"
node --test --test-timeout=600000 tests/browser/
