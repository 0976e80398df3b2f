#!/usr/bin/env bash
# Source this file: Node >= 22.12 on PATH and node_modules matching package-lock.json.
# Both README commands start here, so a fresh clone needs nothing installed by hand.
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$_root/scripts/node22.sh" || return 1
_lock_stamp="$_root/node_modules/.attention-lab-lock"
_lock_hash="$(sha256sum "$_root/package-lock.json" | cut -d' ' -f1)-$(node -v)"
if [ ! -f "$_lock_stamp" ] || [ "$(cat "$_lock_stamp")" != "$_lock_hash" ]; then
  echo "setup: installing dependencies (npm ci)" >&2
  (cd "$_root" && npm ci --no-audit --no-fund --loglevel=error) || { echo "setup: npm ci failed" >&2; return 1; }
  echo "$_lock_hash" > "$_lock_stamp"
fi
