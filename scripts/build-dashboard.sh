#!/usr/bin/env bash
# Builds the dashboard (src/AirQuality.Gateway/dashboard) into src/AirQuality.Gateway/wwwroot.
# Idempotent: `npm ci` runs only when node_modules is missing or package-lock.json changed since
# the last install. Usage: scripts/build-dashboard.sh [--test]   (--test also runs the unit tests)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="$root/src/AirQuality.Gateway/dashboard"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build-dashboard: '$tool' not found on PATH; install Node.js 20.19+ (with npm) to build the dashboard" >&2
    exit 127
  fi
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "build-dashboard: Node.js $(node --version) is too old; 20.19 or newer is needed (vite 8)" >&2
  exit 1
fi

stamp="$app/node_modules/.airquality-lock.sha256"
lock_hash="$(sha256sum "$app/package-lock.json" | cut -d' ' -f1)"
if [ ! -d "$app/node_modules" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "build-dashboard: npm ci" >&2
  npm ci --prefix "$app" --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
fi

if [ "${1:-}" = "--test" ]; then
  npm --prefix "$app" test
fi
npm --prefix "$app" run build
echo "build-dashboard: built $(du -sk "$root/src/AirQuality.Gateway/wwwroot" | cut -f1) KiB into src/AirQuality.Gateway/wwwroot" >&2
