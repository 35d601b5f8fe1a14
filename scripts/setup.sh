#!/usr/bin/env bash
# Installs what Rift needs on a fresh machine; fast and silent when everything is already there.
# Exits non-zero with a message naming what failed; never falls back to something else silently.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
say() { if [ -t 1 ] || [ -n "${RIFT_SETUP_VERBOSE:-}" ]; then echo "setup: $*"; fi; }
fail() { echo "setup: FAILED: $*" >&2; exit 70; }

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v etcd >/dev/null 2>&1 || need_apt+=(etcd-server etcd-client)
# The etcd target runs each member in its own mount namespace (unshare, mount: util-linux).
command -v unshare >/dev/null 2>&1 || need_apt+=(util-linux)
command -v mount >/dev/null 2>&1 || need_apt+=(mount)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  command -v apt-get >/dev/null 2>&1 || fail "apt-get not found; install ${need_apt[*]} by hand"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/tmp/rift-apt-update.log 2>&1 || fail "apt-get update (see /tmp/rift-apt-update.log)"
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/tmp/rift-apt-install.log 2>&1 \
    || fail "apt-get install ${need_apt[*]} (see /tmp/rift-apt-install.log)"
  # Debian starts the packaged services on their default ports; Rift runs its own instances, so stop them.
  for svc in redis-server etcd; do
    if command -v systemctl >/dev/null 2>&1; then systemctl stop "$svc" >/dev/null 2>&1 || true; fi
    if command -v service >/dev/null 2>&1; then service "$svc" stop >/dev/null 2>&1 || true; fi
  done
fi

toxi="$root/.tools/bin/toxiproxy-server"
if [ ! -x "$toxi" ]; then
  go=$(command -v go || true)
  [ -n "$go" ] || [ ! -x /usr/local/go/bin/go ] || go=/usr/local/go/bin/go
  [ -n "$go" ] || fail "Go is needed to build Toxiproxy (go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0) and was not found"
  echo "setup: building Toxiproxy v2.12.0 with $go install"
  mkdir -p "$root/.tools/bin"
  GOBIN="$root/.tools/bin" GOFLAGS=-mod=mod "$go" install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0 \
    >/tmp/rift-go-install.log 2>&1 || fail "go install of the Toxiproxy server (see /tmp/rift-go-install.log)"
  mv "$root/.tools/bin/server" "$toxi"
fi

stamp="node_modules/.rift-installed"
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || { [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; }; then
  echo "setup: installing npm packages"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >/tmp/rift-npm.log 2>&1 || fail "npm ci (see /tmp/rift-npm.log)"
  else
    npm install --no-audit --no-fund --loglevel=error >/tmp/rift-npm.log 2>&1 || fail "npm install (see /tmp/rift-npm.log)"
  fi
  touch "$stamp"
fi
# The CLI runs from JavaScript compiled into dist/; rebuilt only when a source is newer than the last build.
bash scripts/build.sh || fail "building dist/ (scripts/build.sh)"
say "ready"
