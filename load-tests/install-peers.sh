#!/usr/bin/env bash
# Installs the peers the gateway benchmark measures Tollgate against, both pinned:
#   - Portkey's open-source gateway, @portkey-ai/gateway 1.15.2 from npm, with its dependency
#     @hono/node-server overridden to 1.13.8, into load-tests/target/peers/portkey (not committed);
#   - a plain nginx reverse proxy (Debian's `nginx` package), the floor: what any proxy in between
#     costs on this machine. Installed with apt-get when missing (needs root).
#
#   load-tests/install-peers.sh
#
# run-benchmark.sh starts whichever of them is installed (and says which is missing). Needs node
# and npm on the PATH for Portkey. Idempotent: a second run only checks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORTKEY_DIR="$ROOT/load-tests/target/peers/portkey"
PORTKEY_VERSION="1.15.2"
HONO_NODE_SERVER_VERSION="1.13.8"
log() { echo "install-peers: $*" >&2; }
status=0

# --- Portkey --------------------------------------------------------------------------------------
installed_version() {
  local pkg="$PORTKEY_DIR/node_modules/$1/package.json"
  [[ -f "$pkg" ]] && sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg" | head -1
}
if ! command -v npm >/dev/null 2>&1; then
  log "npm is not on the PATH: Portkey not installed"
  status=1
elif [[ "$(installed_version @portkey-ai/gateway)" == "$PORTKEY_VERSION" \
    && "$(installed_version @hono/node-server)" == "$HONO_NODE_SERVER_VERSION" ]]; then
  log "Portkey $PORTKEY_VERSION already in $PORTKEY_DIR"
else
  mkdir -p "$PORTKEY_DIR"
  cat > "$PORTKEY_DIR/package.json" <<JSON
{
  "name": "tollgate-bench-peers",
  "private": true,
  "dependencies": { "@portkey-ai/gateway": "$PORTKEY_VERSION" },
  "overrides": { "@hono/node-server": "$HONO_NODE_SERVER_VERSION" }
}
JSON
  # --ignore-scripts: the package's only install script (patch-package) has no patches to apply
  # in the published package
  (cd "$PORTKEY_DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error) \
    || { log "npm install failed: Portkey not installed"; status=1; }
  if [[ "$(installed_version @portkey-ai/gateway)" == "$PORTKEY_VERSION" \
      && "$(installed_version @hono/node-server)" == "$HONO_NODE_SERVER_VERSION" ]]; then
    log "Portkey $PORTKEY_VERSION (@hono/node-server $HONO_NODE_SERVER_VERSION) installed in $PORTKEY_DIR"
  fi
fi

# --- nginx ----------------------------------------------------------------------------------------
if command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]]; then
  log "nginx present: $({ /usr/sbin/nginx -v 2>&1 || nginx -v 2>&1; } | head -1)"
elif [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  # the package's service is not started (no init system here); the benchmark runs its own nginx
  DEBIAN_FRONTEND=noninteractive apt-get install -y nginx >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx >/dev/null; } \
    || { log "apt-get install nginx failed"; status=1; }
  [[ -x /usr/sbin/nginx ]] && log "nginx installed: $(/usr/sbin/nginx -v 2>&1)"
else
  log "nginx missing and not root (or no apt-get): install Debian's nginx package to measure the floor"
  status=1
fi
exit "$status"
