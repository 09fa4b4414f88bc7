#!/usr/bin/env bash
# Runs the product on its embedded local default: builds the dashboard (npm packages installed by the
# project's script), then starts the host (Orleans silo, HTTP ingest, GraphQL gateway, dashboard) on
# http://127.0.0.1:5080 with durable state under ./.airquality/. Extra arguments go to the host
# (e.g. --urls http://127.0.0.1:5090).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
scripts/build-dashboard.sh
exec dotnet run --project src/AirQuality.Host -c Release -- "$@"
