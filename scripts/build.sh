#!/usr/bin/env bash
# Compiles the TypeScript sources into dist/ (git-ignored) with tsc, so bin/rift.mjs starts without transpiling.
# Quick and silent when dist/.build-stamp is newer than every source (the same test bin/build-state.mjs makes);
# `--force` rebuilds anyway. The stamp is taken before compiling, so a source saved during a build counts as newer.
set -euo pipefail
cd "$(dirname "$0")/.."
sources=(harness checkers reports workloads layer tsconfig.json tsconfig.build.json)
stamp=dist/.build-stamp
if [ "${1:-}" != --force ] && [ -f "$stamp" ] \
  && [ -z "$(find "${sources[@]}" -type f -not -name '*.md' -newer "$stamp" -print -quit)" ]; then
  exit 0
fi
next="dist.build.$$"
trap 'rm -rf "$next"' EXIT
mkdir -p "$next"
touch "$next/.build-stamp"
node_modules/.bin/tsc -p tsconfig.build.json --outDir "$next" || { echo "build: tsc failed (see the errors above)" >&2; exit 70; }
# report.html inlines these at render time; they are read relative to the compiled module.
cp -R reports/html/assets "$next/reports/html/assets"
rm -rf dist
mv "$next" dist
