#!/usr/bin/env bash
# Runs the whole suite serially: integration tests start real processes on fixed budgets of CPU (2 cores).
set -uo pipefail
cd "$(dirname "$0")/.."
exec node_modules/.bin/mocha "$@"
