#!/usr/bin/env bash
# Builds dist/ (git-ignored), the JavaScript bin/rift.mjs runs, so that start-up transpiles nothing:
#   dist/cli/    the CLI: bin/rift.mjs's entry main.js, the worker threads' entries check-worker.js and worker.js,
#                and chunks that main.js imports only for the subcommand and checker in use;
#   dist/layer/  main.js, the layer node `rift run` starts (harness/process/repo-root.ts names it).
# Each program is one esbuild bundle (its packages stay in node_modules): Node 20 loads an ES module in a fraction
# of a millisecond, and the CLI is over a hundred of them. tsc checks the types first; a type error fails the build.
# Quick and silent when dist/ is fresh (bin/build-state.mjs, the test bin/rift.mjs makes); `--force` rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."
state() { node --input-type=module -e "import * as b from './bin/build-state.mjs'; $1"; }
if [ "${1:-}" != --force ] && state "process.exit(b.buildState('.').fresh ? 0 : 1)"; then
  exit 0
fi
next="dist.build.$$"
trap 'rm -rf "$next"' EXIT
mkdir -p "$next"
# The sources' times and sizes are taken before compiling, so a file saved during the build makes it stale.
state "b.writeManifest('$next', b.sourceStamps('.'))"
node_modules/.bin/tsc -p tsconfig.build.json || { echo "build: tsc failed (see the errors above)" >&2; exit 70; }
bundle() { node_modules/.bin/esbuild --bundle --platform=node --format=esm --target=node20 --packages=external --log-level=warning "$@"; }
# The worker threads' entries sit beside the chunks under fixed names: pool code finds them as ./worker.js and
# ./check-worker.js next to itself, as it does in the sources.
bundle --splitting --outdir="$next/cli" main=harness/cli/main.ts check-worker=harness/cli/check-worker.ts \
  worker=checkers/linearizable/worker.ts || { echo "build: bundling the CLI failed" >&2; exit 70; }
bundle --outfile="$next/layer/main.js" layer/main.ts || { echo "build: bundling the layer failed" >&2; exit 70; }
# report.html inlines these at render time; they are read relative to the module that renders, a CLI chunk.
cp -R reports/html/assets "$next/cli/assets"
rm -rf dist
mv "$next" dist
