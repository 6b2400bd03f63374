#!/usr/bin/env bash
# Kill and resume: starts a throwaway redis-server and one replica of example-service, lets the
# 200,000-order backfill run for a while, kills the replica with SIGKILL mid-backfill, shows the
# checkpoint it left in Redis, starts a second replica and shows it resume from there, then prints
# `migrations status` and `migrations show` of the backfill.
set -euo pipefail
cd "$(dirname "$0")/.."

demo_name=resume
# shellcheck source=scripts/backfill-demo-setup.sh
source scripts/backfill-demo-setup.sh

echo "\$ example-service serve --replica-name replica-1 --lease-ttl 5 &"
"$bin/example-service" serve --port "$((port + 1))" --replica-name replica-1 --lease-ttl 5 \
    >"$work/replica-1.log" 2>&1 &
first=$!
pids+=("$first")
until redis-cli -p "$port" get "$key:checkpoint" | grep -q '"completed":[1-9][0-9]\{4\}'; do sleep 0.1; done
echo "\$ kill -9 $first    # mid-backfill"
kill -KILL "$first"
wait "$first" 2>/dev/null || true
# Log lines without their timestamp and metadata: `<replica> <level>: <message>`.
# The backfill's log lines, without their timestamp and metadata: `<replica> <level>: <message>`.
messages() {
    grep "migration.name=2025-04-02-backfill-order-totals" "$work/$1.log" | sed -E "s/^[^ ]+ ([a-z]+) [^:]+: .*\] /$1 \1: /"
}
messages replica-1 | tail -2
echo
echo "\$ redis-cli get $key:checkpoint"
redis-cli -p "$port" get "$key:checkpoint"
echo
echo "\$ example-service serve --replica-name replica-2 --lease-ttl 5 &"
"$bin/example-service" serve --port "$((port + 2))" --replica-name replica-2 --lease-ttl 5 \
    >"$work/replica-2.log" 2>&1 &
second=$!
pids+=("$second")
until curl -fsS "http://127.0.0.1:$((port + 2))/health/ready" >/dev/null 2>&1; do sleep 0.2; done
# Ready does not wait for the background backfill: its worker takes it over once replica-1's lease expires.
until redis-cli -p "$port" get "$key:completed" | grep -q true; do sleep 0.2; done
messages replica-2 | grep -E "waiting for|resuming"
messages replica-2 | grep -E "progress" | tail -1
messages replica-2 | grep -E "migration completed"
echo
echo "\$ migrations status"
"$bin/migrations" status
echo
echo "\$ migrations show 2025-04-02-backfill-order-totals"
"$bin/migrations" show 2025-04-02-backfill-order-totals | sed -n '1,45p'
