#!/usr/bin/env bash
# Runs Redis for grif in the foreground (AOF, noeviction, password, loopback only) and prints the
# REDIS_URL to use. Ctrl-C or SIGTERM stops it cleanly. Usage: scripts/redis.sh DIR [PORT]
set -euo pipefail
root="$(dirname "$(readlink -f "$0")")/.."
main="$root/dist/src/service/redis-server-main.js"
if [ ! -f "$main" ]; then
  echo "grif is not built: run npm run build in $root" >&2
  exit 1
fi
# exec: signals reach node directly, which stops Redis before exiting.
exec node "$main" "$@"
