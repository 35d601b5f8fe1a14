#!/usr/bin/env bash
# Runs the whole suite serially: integration tests start real processes and there are only 2 cores.
# With arguments, runs just those spec files (the spec list lives here, not in .mocharc, so that it can).
set -uo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then set -- 'test/**/*.test.ts'; fi
exec node_modules/.bin/mocha "$@"
