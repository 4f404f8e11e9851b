#!/usr/bin/env bash
# Runs every test of waymark, installing what the tests need first.
#
#   scripts/test.sh
#
# Needs, and checks before any long step (naming whatever is missing and how
# to get it):
#   - Rust at the version in Cargo.toml's `rust-version` or newer, with the
#     rustfmt and clippy components (rustup installs all three);
#   - a C compiler, `cc` (the mimalloc allocator is C);
#   - Node.js 20 or newer, with npm (the browser tests).
# Installs, when missing:
#   - Debian's chromium (headless browser tests) and a Java runtime (the Nu
#     HTML Checker), with apt-get as root;
#   - the npm test packages (playwright-core, axe-core, vnu-jar) from
#     package-lock.json, without running their install scripts (no browser
#     or Java download: the system's are used).
#
# Each step says what it is as it starts and how long it took; cargo's own
# progress (each crate as it compiles) is shown, so the long first compile
# of the lints and the tests is not silent.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
# Whether version $1 is at least $2 (both dotted numbers).
at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

step_name=
step_started=$SECONDS
# Says how long the step that is ending took.
step_done() {
  if [ -n "$step_name" ]; then echo "   (${step_name%%:*}: $((SECONDS - step_started)) s)"; fi
}
# Starts a step: "== what".
step() {
  step_done
  step_name=$1
  step_started=$SECONDS
  echo "== $1"
}

step "checking prerequisites"
problems=()
rust_version=$(sed -n 's/^rust-version *= *"\([0-9.]*\)".*/\1/p' Cargo.toml)
rustup_hint="install Rust with rustup (see rustup.rs; distributions' packaged Rust is often older), or run \`rustup update\`"
if ! need cargo || ! need rustc; then
  problems+=("Rust (cargo and rustc) $rust_version or newer is needed: $rustup_hint")
else
  have=$(rustc --version | awk '{print $2}')
  cargo_have=$(cargo --version | awk '{print $2}')
  if ! at_least "${have%%-*}" "$rust_version" || ! at_least "${cargo_have%%-*}" "$rust_version"; then
    problems+=("Rust $rust_version or newer is needed (Cargo.toml's rust-version), but rustc is $have and cargo $cargo_have: $rustup_hint")
  fi
  if ! cargo fmt --version >/dev/null 2>&1; then
    problems+=("rustfmt is needed: rustup component add rustfmt")
  fi
  if ! cargo clippy --version >/dev/null 2>&1; then
    problems+=("clippy is needed: rustup component add clippy")
  fi
fi
if ! need cc; then
  problems+=("a C compiler, cc, is needed (for the mimalloc allocator): e.g. sudo apt-get install gcc")
fi
node_hint="install Node.js 20 or newer with npm (from nodejs.org or a version manager such as nvm; Debian 12's nodejs is 18)"
if ! need node; then
  problems+=("Node.js 20 or newer is needed for the browser tests: $node_hint")
else
  node_have=$(node --version | sed 's/^v//')
  if ! at_least "$node_have" 20; then
    problems+=("Node.js 20 or newer is needed (playwright-core and the test runner's --test-timeout), but node is $node_have: $node_hint")
  elif ! node --test-timeout=1000 -e 0 >/dev/null 2>&1; then
    problems+=("this Node.js ($node_have) lacks the test runner's --test-timeout: install a newer Node.js 20 or later")
  fi
fi
if ! need npm; then
  problems+=("npm is needed for the browser tests' packages: it comes with Node.js (Debian: sudo apt-get install npm)")
fi
if [ ${#problems[@]} -gt 0 ]; then
  echo "scripts/test.sh: cannot run the tests yet:" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "   rustc $(rustc --version | awk '{print $2}') (needs $rust_version+), node $(node --version), npm $(npm --version), cc: $(command -v cc)"

missing=()
need chromium || missing+=(chromium)
need java || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test.sh: please install ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  step "installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing the npm test packages"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

step "formatting: cargo fmt --check"
cargo fmt --all -- --check

step "lints: cargo clippy (the first time, it compiles every crate)"
cargo clippy --all-targets -- -D warnings

step "Rust tests: cargo test (the first time, it compiles every test)"
cargo test -- --quiet

step "browser tests: node --test tests/browser/"
node --test --test-timeout=600000 tests/browser/

step_done
echo "== all tests passed in $SECONDS s"
