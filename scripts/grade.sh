#!/usr/bin/env bash
# npm run grade -- <folder> [--out grades.csv]: the regrader under Node 22 (set up like npm test).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec node --experimental-transform-types --disable-warning=ExperimentalWarning "$(dirname "${BASH_SOURCE[0]}")/grade.ts" "$@"
