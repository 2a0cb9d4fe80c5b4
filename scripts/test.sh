#!/usr/bin/env bash
# Sets everything up and runs every test:
#   1. the suite (unit, integration, OTLP conformance against the official OpenTelemetry JS
#      decoder) in a RelWithDebInfo build, plus a short smoke run of every benchmark;
#   2. `cmake --install` and a consumer project built with find_package(llmtrace) and pkg-config;
#   3. the suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
# Exits non-zero on the first failure. 2 cores: everything builds with -j2.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${LLMTRACE_JOBS:-2}"
"$root/scripts/setup.sh" --tests

step() { printf '\n=== %s\n' "$*"; }

step "build (RelWithDebInfo)"
build="$root/build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLLMTRACE_SANITIZE=OFF \
  -DLLMTRACE_BUILD_TESTS=ON -DLLMTRACE_BUILD_BENCHMARKS=ON -DLLMTRACE_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j"$jobs"

step "tests"
ctest --test-dir "$build" -j"$jobs" --output-on-failure --timeout 300

step "benchmark smoke run"
"$root/bench/run.sh" --smoke "$build"

step "install + find_package consumer"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix/usr" >/dev/null
cmake -S "$root/test/install_consumer" -B "$prefix/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix/usr" >/dev/null
cmake --build "$prefix/consumer" -j"$jobs" >/dev/null
"$prefix/consumer/consumer"
PKG_CONFIG_PATH="$prefix/usr/lib/pkgconfig:$prefix/usr/lib/x86_64-linux-gnu/pkgconfig" \
  sh -c 'g++ "$0" $(pkg-config --cflags --libs llmtrace) -o "$1"' \
  "$root/test/install_consumer/consumer.cc" "$prefix/consumer-pc"
"$prefix/consumer-pc"

step "tests under AddressSanitizer + UndefinedBehaviorSanitizer"
asan="$root/build-asan"
cmake -S "$root" -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLLMTRACE_SANITIZE=ON \
  -DLLMTRACE_BUILD_TESTS=ON -DLLMTRACE_BUILD_BENCHMARKS=OFF -DLLMTRACE_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$asan" -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$asan" -j"$jobs" --output-on-failure --timeout 600

step "all tests passed"
