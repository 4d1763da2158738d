#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what the tests need on a fresh Debian machine, then typechecks,
# lints and runs every test. Needs root or sudo only when redis-server or chromium is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Real Redis for the store tests (never a mock): Debian's redis-server, started by the tests themselves.
if ! command -v redis-server >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi

# Real PostgreSQL for the audit archive tests: Debian's postgresql (initdb and postgres started by the tests themselves).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

# Real headless Chromium for the console's end-to-end tests: Debian's package, driven by playwright-core (never a
# browser that a test tool downloads).
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

npx tsc --noEmit -p .
npx tsc --noEmit -p console
npx eslint . --max-warnings 0
# Dead code: unused files, exports, exported types and dependencies fail the suite (knip.jsonc).
npm run -s knip
# The approver console and GraphiQL, built fresh: test/e2e drives what the gateway serves from console/dist and
# console/dist-ide.
npm run -s build:console
npm run -s build:ide

mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile=test-artifacts/vitest.json || status=$?
# A plain closing line that any CI reads: "N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-artifacts/vitest.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + (r.numRuntimeErrorTests ?? 0)} failed`);
' || true
exit $status
