#!/usr/bin/env bash
# `npm start`: build the book and serve it at http://localhost:4321/ (PORT=… to change).
# `npm start -- --dev` runs Astro's dev server instead (live reload; site search needs a build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
port="${PORT:-4321}"
# `npm start -- --course` (also with --dev after it): the course build, without solutions or hidden tests.
if [ "${1:-}" = "--course" ]; then export ATTENTION_LAB_COURSE=1; shift; fi
if [ "${1:-}" = "--dev" ]; then
  exec npx astro dev --port "$port" --host localhost
fi
npx astro build
echo
echo "Attention Lab is served at http://localhost:$port/  (Ctrl+C to stop)"
exec npx astro preview --port "$port" --host localhost
