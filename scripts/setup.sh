#!/usr/bin/env bash
# Installs what llmtrace needs to build and test, from Debian 12 packages (apt-get) and, for the
# test oracles only, npm. Idempotent: packages already present are not touched, so a second run
# takes about a second.
#
#   scripts/setup.sh            build dependencies
#   scripts/setup.sh --tests    also the test oracles (Node.js packages in test/oracles)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
with_tests=0
for arg in "$@"; do
  case "$arg" in
    --tests) with_tests=1 ;;
    *) echo "setup.sh: unknown option '$arg' (expected --tests)" >&2; exit 2 ;;
  esac
done

packages=(
  g++ cmake ninja-build pkg-config make
  libcurl4-openssl-dev zlib1g-dev libsimdjson-dev libssl-dev libsqlite3-dev libvectorscan-dev
  libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done
if [ "$with_tests" = 1 ]; then
  # Node.js runs the OTLP conformance oracle. A Node.js from another source is fine as is.
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)  # promtool + server, metrics tests
  # Alertmanager for the alert sink integration test (genai_test); the test runs the binary
  # itself, so the package's systemd service is not needed.
  command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: run as root or install sudo" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$with_tests" = 1 ]; then
  oracles="$root/test/oracles"
  stamp="$oracles/node_modules/.llmtrace-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$oracles/package-lock.json" "$stamp"; then
    echo "setup: installing test oracles (npm ci in test/oracles)"
    (cd "$oracles" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$oracles/package-lock.json" "$stamp"
  fi
fi
echo "setup: ready"
