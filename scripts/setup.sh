#!/usr/bin/env bash
# Source this file: Node >= 22.12 on PATH and node_modules matching package-lock.json.
# Both README commands start here, so a fresh clone needs nothing installed by hand.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$_root/scripts/node22.sh" || return 1
_lock_stamp="$_root/node_modules/.attention-lab-lock"
_lock_hash="$(sha256sum "$_root/package-lock.json" | cut -d' ' -f1)-$(node -v)"
if [ ! -f "$_lock_stamp" ] || [ "$(cat "$_lock_stamp")" != "$_lock_hash" ]; then
  echo "setup: installing dependencies from package-lock.json" >&2
  # Not `npm ci`: npm 11 drops other platforms' optional packages (esbuild, pagefind, ...) from the
  # lock it writes and then `npm ci` refuses that lock (npm/cli#4828). `npm install --no-save`
  # installs the locked versions and leaves the lock file untouched.
  (cd "$_root" && npm install --no-save --no-audit --no-fund --loglevel=error) || { echo "setup: npm install failed" >&2; return 1; }
  echo "$_lock_hash" > "$_lock_stamp"
fi
