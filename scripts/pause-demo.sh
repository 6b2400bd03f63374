#!/usr/bin/env bash
# Pause and resume across replicas: starts a throwaway redis-server and two replicas of example-service.
# Both become ready at once (the 200,000-order backfill runs in the background); replica-1's worker takes
# the backfill. The operator tool pauses it (replica-1 stops at its checkpoint and releases the lease),
# status shows who paused it and where it resumes, and after `migrations resume` the worker of whichever
# replica gets there first continues from the checkpoint. Ends with `migrations history` of the backfill.
set -euo pipefail
cd "$(dirname "$0")/.."

demo_name=pause
# shellcheck source=scripts/backfill-demo-setup.sh
source scripts/backfill-demo-setup.sh
# The backfill's log lines, without their timestamp and metadata: `<replica> <level>: <message>`.
messages() {
    grep -E "migration.name=2025-04-02-backfill-order-totals|background migrations" "$work/$1.log" \
        | sed -E "s/^[^ ]+ ([a-z]+) [^:]+: (.*\] )?/$1 \1: /" | sed -E 's/ (migration|replica)\.[a-z_]+=[^ ]+//g'
}

for replica in 1 2; do
    echo "\$ example-service serve --replica-name replica-$replica --lease-ttl 6 &"
    "$bin/example-service" serve --port "$((port + replica))" --replica-name "replica-$replica" --lease-ttl 6 \
        >"$work/replica-$replica.log" 2>&1 &
    pids+=($!)
    until curl -fsS "http://127.0.0.1:$((port + replica))/health/ready" >/dev/null 2>&1; do sleep 0.2; done
    [ "$replica" = 1 ] && until redis-cli -p "$port" exists "$key:lease" | grep -q 1; do sleep 0.1; done
done
echo "(both ready; the backfill runs in the background)"
until redis-cli -p "$port" get "$key:checkpoint" | grep -q '"completed":[1-9][0-9]\{4\}'; do sleep 0.1; done
echo
echo "\$ migrations pause 2025-04-02-backfill-order-totals --reason \"replica lag\" --by alice"
"$bin/migrations" pause 2025-04-02-backfill-order-totals --reason "replica lag" --by alice
until redis-cli -p "$port" exists "$key:lease" | grep -q 0; do sleep 0.1; done
sleep 1.5
messages replica-1 | grep -E "paused|waiting for" | tail -2
messages replica-2 | grep -E "waiting for" | tail -1
echo
echo "\$ migrations status"
"$bin/migrations" status
echo
echo "\$ migrations resume 2025-04-02-backfill-order-totals"
"$bin/migrations" resume 2025-04-02-backfill-order-totals
until redis-cli -p "$port" get "$key:completed" | grep -q true; do sleep 0.2; done
for replica in 1 2; do messages "replica-$replica" | grep -E "resuming|migration completed" || true; done
echo
echo "\$ migrations history 2025-04-02-backfill-order-totals"
"$bin/migrations" history 2025-04-02-backfill-order-totals
