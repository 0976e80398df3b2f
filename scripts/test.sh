#!/usr/bin/env bash
# `npm test`: every suite, from a clean clone, ending with one line `N passed, N failed`.
# Suites: type check (astro check), unit tests (Vitest, incl. the WebGPU backend on a software
# adapter and every code cell of the book), site build, end-to-end (Playwright + a system Chromium). A suite that cannot run counts as failed; the exit code is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
source scripts/ensure-chromium.sh || { echo "0 passed, 1 failed"; exit 1; }
# The WebGPU backend is tested on a software adapter (lavapipe or SwiftShader). Without one the
# WebGPU tests fail under CI=true rather than skip, so a missing adapter is never silent.
source scripts/ensure-webgpu.sh || echo "test.sh: no WebGPU adapter; the WebGPU suites will say so" >&2

reports=.cache/reports
rm -rf "$reports" && mkdir -p "$reports"
step() { printf '\n=== %s ===\n' "$1"; }

step "type check (astro check)"
npx astro check && echo pass > "$reports/typecheck" || echo fail > "$reports/typecheck"

step "unit tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json"

step "build (astro build: the self-study site, then the course build)"
# The course build (no solutions, visible tests only) goes to its own folder for
# tests/e2e/course-build.spec.ts; it costs one more build (about 35 s on 2 cores).
npx astro build && ATTENTION_LAB_COURSE=1 npx astro build --outDir .cache/dist-course && echo pass > "$reports/build" || echo fail > "$reports/build"

if [ "$(cat "$reports/build")" = pass ]; then
  step "end-to-end (playwright, $CHROME_PATH)"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" npx playwright test --reporter=list,json
fi

node scripts/test-summary.mjs "$reports"
