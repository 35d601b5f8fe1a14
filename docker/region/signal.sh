#!/bin/sh
# signal.sh STOP|CONT: pauses or resumes the whole region (Redis and the node) inside its container.
set -eu
case "${1:-}" in STOP|CONT) ;; *) echo "usage: signal.sh STOP|CONT" >&2; exit 64 ;; esac
pkill "-$1" -x redis-server
pkill "-$1" -f 'layer/main.ts'
