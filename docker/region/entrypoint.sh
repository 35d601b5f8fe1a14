#!/bin/bash
# Starts the region's Redis, then its layer node, from the environment:
#   RIFT_REGION, RIFT_REGIONS (comma-separated), RIFT_PEERS (JSON {region: url}, the Toxiproxy addresses of this
#   region's outgoing peer links), RIFT_SECRET, RIFT_ADMIN_TOKEN, RIFT_REDIS_PASSWORD; RIFT_PORT (default 7000);
#   RIFT_NODE_OPTIONS (optional JSON of further layer settings, e.g. {"bugs": [], "logLevel": "info", "proposers": "home"}).
# Either process exiting ends the container, so the runtime sees a region crash as one.
set -eu
: "${RIFT_REGION:?}" "${RIFT_REGIONS:?}" "${RIFT_PEERS:?}" "${RIFT_SECRET:?}" "${RIFT_ADMIN_TOKEN:?}" "${RIFT_REDIS_PASSWORD:?}"
umask 077
printf 'requirepass %s\n' "$RIFT_REDIS_PASSWORD" > /data/redis.conf
redis-server /data/redis.conf --port 6379 --bind 127.0.0.1 --save '' --appendonly yes --appendfsync always --dir /data --daemonize no &
REDIS=$!
node -e '
const e = process.env;
const cfg = {
  ...JSON.parse(e.RIFT_NODE_OPTIONS || "{}"),
  region: e.RIFT_REGION, regions: e.RIFT_REGIONS.split(","), host: "0.0.0.0", port: Number(e.RIFT_PORT ?? 7000),
  redis: { host: "127.0.0.1", port: 6379, password: e.RIFT_REDIS_PASSWORD },
  peers: JSON.parse(e.RIFT_PEERS), secret: e.RIFT_SECRET, adminToken: e.RIFT_ADMIN_TOKEN,
};
require("fs").writeFileSync("/data/node.json", JSON.stringify(cfg), { mode: 0o600 });
'
until redis-cli -a "$RIFT_REDIS_PASSWORD" --no-auth-warning ping 2>/dev/null | grep -q PONG; do sleep 0.1; done
node --import tsx layer/main.ts --config /data/node.json &
NODE=$!
trap 'kill -TERM $NODE $REDIS 2>/dev/null' TERM INT
wait -n
kill -KILL $NODE $REDIS 2>/dev/null || true
exit 1
