#!/usr/bin/env bash
# Sets grif up on a Debian machine, as root: Node.js 20 or newer with npm (from Debian when
# missing), then `npm ci`, which installs the locked packages and builds grif (npm's prepare step).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'
}

if ! node_ok; then
  echo "setup: installing Node.js and npm from Debian" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  if ! node_ok; then
    echo "setup: grif needs Node.js 20 or newer with npm; this machine has $(node --version 2>/dev/null || echo no Node.js)." >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund --loglevel=error
