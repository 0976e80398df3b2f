#!/usr/bin/env bash
# Source this file: it makes a WebGPU adapter available to Node (npm `webgpu`, i.e. dawn.node).
# Dawn needs a Vulkan driver. Tried in order, keeping the first that yields an adapter:
#   1. whatever the machine already has (a real GPU, or a Mesa already new enough);
#   2. Mesa's lavapipe from Debian's bookworm-backports (Debian 12's own Mesa 22.3 is rejected
#      by Dawn); the backports source is derived from the machine's existing Debian entry;
#   3. Chromium's SwiftShader Vulkan ICD (Debian's chromium package ships it).
# On success it exports XDG_RUNTIME_DIR (and VK_ICD_FILENAMES when it picked a driver) plus
# WEBGPU_ADAPTER (a one-line description) and returns 0; otherwise it explains and returns 1.
# Running it as a script (`bash scripts/ensure-webgpu.sh`) does the same and prints the adapter.
_ew_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_ew_log() { echo "ensure-webgpu: $*" >&2; }

# dawn.node looks for a runtime dir (Vulkan WSI / Mesa shader cache); give it a private one.
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "${XDG_RUNTIME_DIR}" ]; then
  export XDG_RUNTIME_DIR="${TMPDIR:-/tmp}/xdg-runtime-$(id -u)"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi

_ew_node_ready() {
  command -v node >/dev/null 2>&1 || source "$_ew_root/scripts/node22.sh" || return 1
}

# The npm package has only a macOS-only postinstall, so it works with npm 11's default of
# skipping install scripts. It is a devDependency; install it here if node_modules lacks it.
_ew_ensure_package() {
  local want
  want="$(cd "$_ew_root" && node -p "require('./package.json').devDependencies?.webgpu ?? ''" 2>/dev/null)"
  if (cd "$_ew_root" && node -e "require.resolve('webgpu/package.json')" 2>/dev/null); then return 0; fi
  _ew_log "installing npm package webgpu${want:+@$want} (no install scripts needed)"
  (cd "$_ew_root" && npm install --no-save --no-audit --no-fund --loglevel=error "webgpu${want:+@$want}") >&2
}

# Prints the adapter's info on stdout and exits 0 when dawn.node gives an adapter.
_ew_probe() {
  (cd "$_ew_root" && timeout 60 node --input-type=module -e '
    import { create, globals } from "webgpu";
    Object.assign(globalThis, globals);
    const gpu = create([]);
    const adapter = await gpu.requestAdapter();
    if (!adapter) { console.error("no adapter"); process.exit(1); }
    const i = adapter.info;
    const feats = [...adapter.features].filter((f) => ["shader-f16", "subgroups", "timestamp-query"].includes(f));
    console.log(`${i.vendor} ${i.architecture} ${i.device} | ${i.description} | features: ${feats.join(",") || "none"}`);
    process.exit(0);
  ' 2>/dev/null)
}

_ew_try() { # $1: label; the current environment is probed
  local info
  if info="$(_ew_probe)"; then
    export WEBGPU_ADAPTER="$info"
    _ew_log "adapter ($1): $info"
    return 0
  fi
  return 1
}

# Writes a deb822 entry for <codename>-backports next to the first Debian entry found
# (deb822 *.sources or one-line sources.list), reusing its mirror and keyring.
_ew_add_backports() {
  local codename="$1" out="/etc/apt/sources.list.d/${codename}-backports.sources"
  if grep -rqs -- "${codename}-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then return 0; fi
  local uri="" signed="" f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # first stanza whose Suites include the plain codename (not -security)
    read -r uri signed < <(awk -v cn="$codename" '
      BEGIN { RS=""; FS="\n" }
      {
        u=""; s=""; sg=""; t=""
        for (i=1; i<=NF; i++) {
          if ($i ~ /^URIs:/) { u=$i; sub(/^URIs:[ \t]*/, "", u) }
          else if ($i ~ /^Suites:/) { s=" " $i " "; sub(/^ Suites:/, "", s) }
          else if ($i ~ /^Signed-By:/) { sg=$i; sub(/^Signed-By:[ \t]*/, "", sg) }
          else if ($i ~ /^Types:/) { t=$i }
        }
        if (t ~ /deb([ \t]|$)/ && s ~ ("[ \t]" cn "[ \t]") && u != "") { split(u, us, /[ \t]+/); print us[1], (sg == "" ? "-" : sg); exit }
      }' "$f")
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    read -r uri < <(awk -v cn="$codename" '$1 == "deb" { for (i=2; i<=NF; i++) if ($i == cn) { for (j=2; j<i; j++) if ($j !~ /^\[/ && $j !~ /\]$/ && $j ~ /:\/\//) { print $j; exit } } }' /etc/apt/sources.list)
    signed="-"
  fi
  if [ -z "$uri" ]; then _ew_log "no Debian '$codename' apt source found to derive backports from"; return 1; fi
  _ew_log "adding ${codename}-backports from $uri"
  {
    echo "Types: deb"
    echo "URIs: $uri"
    echo "Suites: ${codename}-backports"
    echo "Components: main"
    [ "$signed" != "-" ] && echo "Signed-By: $signed"
  } > "$out"
}

_ew_install_mesa() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || { _ew_log "not root with apt-get: cannot install Mesa"; return 1; }
  local codename
  codename="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")"
  [ -n "$codename" ] || { _ew_log "unknown Debian codename"; return 1; }
  export DEBIAN_FRONTEND=noninteractive
  _ew_add_backports "$codename" || return 1
  # Another apt run may hold the lock: wait for it rather than fail.
  apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 &&
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
      -t "${codename}-backports" mesa-vulkan-drivers libvulkan1 >&2
}

_ew_lavapipe_icd() {
  local f
  for f in /usr/share/vulkan/icd.d/lvp_icd.json /usr/share/vulkan/icd.d/lvp_icd.*.json; do [ -f "$f" ] && { echo "$f"; return 0; }; done
  return 1
}

_ew_main() {
  _ew_node_ready || { _ew_log "Node >= 22 not available"; return 1; }
  _ew_ensure_package || { _ew_log "could not install npm package webgpu"; return 1; }
  # An explicit choice by the caller wins.
  if [ -n "${VK_ICD_FILENAMES:-}" ]; then
    _ew_try "VK_ICD_FILENAMES=$VK_ICD_FILENAMES" && return 0
    _ew_log "VK_ICD_FILENAMES=$VK_ICD_FILENAMES gives no adapter; trying the others"
    unset VK_ICD_FILENAMES
  fi
  _ew_try "system Vulkan" && return 0
  local icd
  if ! icd="$(_ew_lavapipe_icd)" || ! (export VK_ICD_FILENAMES="$icd"; _ew_try lavapipe >/dev/null 2>&1); then
    _ew_install_mesa || _ew_log "Mesa from backports could not be installed"
  fi
  if icd="$(_ew_lavapipe_icd)"; then
    export VK_ICD_FILENAMES="$icd"
    _ew_try "lavapipe, $icd" && return 0
    unset VK_ICD_FILENAMES
  fi
  local swiftshader=/usr/lib/chromium/vk_swiftshader_icd.json
  if [ -f "$swiftshader" ]; then
    export VK_ICD_FILENAMES="$swiftshader"
    _ew_try "SwiftShader, $swiftshader" && return 0
    unset VK_ICD_FILENAMES
  fi
  _ew_log "no WebGPU adapter: install mesa-vulkan-drivers >= 23 (bookworm-backports) or Debian's chromium (SwiftShader)"
  return 1
}

_ew_main
_ew_status=$?
unset -f _ew_log _ew_node_ready _ew_ensure_package _ew_probe _ew_try _ew_add_backports _ew_install_mesa _ew_lavapipe_icd _ew_main
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  [ $_ew_status = 0 ] && echo "$WEBGPU_ADAPTER"
  exit $_ew_status
fi
return $_ew_status
