#!/usr/bin/env bash
# Source this file: it exports CHROME_PATH, pointing at a Chromium that Playwright can drive.
# Playwright's own browser download is not possible on our machines, so we use a system Chromium:
# $CHROME_PATH if set, else one on PATH; failing that, when root on Debian, install Debian's package.
_find_chromium() {
  for c in "${CHROME_PATH:-}" "$(command -v chromium 2>/dev/null)" "$(command -v chromium-browser 2>/dev/null)" \
           "$(command -v google-chrome 2>/dev/null)" /usr/bin/chromium; do
    if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return 0; fi
  done
  return 1
}
if ! CHROME_PATH="$(_find_chromium)"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: no Chromium found; installing Debian's chromium package" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt/dpkg run instead of failing on its lock.
    apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 &&
      apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
    CHROME_PATH="$(_find_chromium)" || { echo "ensure-chromium: install failed" >&2; return 1; }
  else
    echo "ensure-chromium: no Chromium found. Install one (e.g. 'apt-get install chromium') or set CHROME_PATH." >&2
    return 1
  fi
fi
export CHROME_PATH
unset -f _find_chromium
