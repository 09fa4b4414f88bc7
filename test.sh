#!/usr/bin/env bash
# Runs every test of AirQuality on a fresh machine of this kind (.NET 10 SDK, NuGet reachable).
# .ci/run calls exactly this. It installs what the tests need (Debian's Chromium for the browser test, the dashboard's npm
# packages), builds with warnings as errors, checks formatting, runs all test projects, and ends with one line:
# "tests: N passed, N failed". The browser test's screenshot is kept in TestResults/browser/.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results=TestResults
rm -rf "$results"

# Chromium for tests/AirQuality.Browser.Tests (Debian's package; never a downloaded browser). Without it the
# browser test fails and says why; every other test still runs.
scripts/install-test-deps.sh || echo "test.sh: Chromium could not be installed; the browser test will fail" >&2

# The dashboard first (its npm packages installed by the project's script): the gateway's build copies
# the bundle next to the host.
scripts/build-dashboard.sh

dotnet restore AirQuality.sln
dotnet build AirQuality.sln -c Release --no-restore
dotnet format AirQuality.sln --verify-no-changes --no-restore

status=0

# The dashboard's unit tests (vitest; its JSON report is counted below).
mkdir -p "$results"
(cd src/AirQuality.Gateway/dashboard && npx vitest run --reporter=json --outputFile="../../../$results/dashboard-vitest.json") || status=$?

dotnet test AirQuality.sln -c Release --no-build \
  --logger "trx" --results-directory "$results" || status=$?

# Sum the TRX counters of every test project into the one closing line CI reads.
passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f)); total=$((total + t))
done
if [ -f "$results/dashboard-vitest.json" ]; then
  read -r p f t < <(node -e 'const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests, r.numTotalTests)' "$(pwd)/$results/dashboard-vitest.json")
  passed=$((passed + p)); failed=$((failed + f)); total=$((total + t))
else
  echo "dashboard tests left no report" >&2
  status=1
fi
if [ "$total" -eq 0 ]; then
  echo "no tests ran" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed"
exit "$status"
