#!/usr/bin/env bash
# `npm start`: set up, then the default chaos run. The run's verdict answers "did the system keep every promise of
# its contract?", so its exit code passes through: 0 contract kept, 1 a promise broken, 2 unknown (too little data,
# a budget ran out), 64/65/70 usage, data and infrastructure errors (README "Exit codes").
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit $?
exec node bin/rift.mjs run "$@"
