#!/usr/bin/env bash
# The main job, on a fresh Debian machine: installs what is missing, builds, starts a throwaway
# redis-server on a free loopback port, starts three replicas of example-service at once (they race
# for the same migrations at start-up), stops them, and prints `migrations status`: each migration ran
# once, by which replica, and how long it took, and which replica ran which shards of the sharded
# migration. Without Redis it runs the replicas on the file store.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

scripts/install-dependencies.sh || echo "could not install hiredis/redis; trying with what is here" >&2
echo "==> building example-service and migrations" >&2
swift build --product example-service >&2
swift build --product migrations >&2
bin=$(swift build --show-bin-path)

work=$(mktemp -d -t migrations-demo.XXXXXX)
pids=()
redis_pid=""
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    [[ -n "$redis_pid" ]] && kill -TERM "$redis_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

source scripts/demo-redis.sh

# One throwaway Redis, configured as compose.yaml configures it (DEMO_FILE_STORE=1 skips it).
if [[ "${DEMO_FILE_STORE:-0}" != 1 ]] && command -v redis-server >/dev/null 2>&1; then
    start_redis "$work" --appendonly yes --maxmemory-policy noeviction
    export REDIS_URL="redis://127.0.0.1:$redis_port"
    echo "==> redis-server pid $redis_pid on port $redis_port" >&2
else
    echo "==> no redis-server to be had (or DEMO_FILE_STORE=1): the replicas share the file store in $work/state" >&2
    unset REDIS_URL
    state_args=(--state-dir "$work/state")
fi

# The replicas share one database and uploads directory, as replicas behind one database would.
export EXAMPLE_DATA_DIR="$work/data"
export MIGRATIONS_API_TOKEN="demo-token"
export TENANT_ACME_PLAN=enterprise TENANT_ACME_REGION=eu-west TENANT_GLOBEX_PLAN=starter
mkdir -p "$EXAMPLE_DATA_DIR/uploads"
touch "$EXAMPLE_DATA_DIR/uploads/"{orphan-1.png,orphan-2.pdf,orphan-3.tmp}

ports=()
for replica in 1 2 3; do
    port=$(free_port)
    ports+=("$port")
    "$bin/example-service" serve --port "$port" --replica-name "replica-$replica" --lease-ttl 10 \
        ${state_args[@]+"${state_args[@]}"} >"$work/replica-$replica.log" 2>&1 &
    pids+=($!)
done
echo "==> started replicas ${pids[*]} on ports ${ports[*]}; waiting until all serve" >&2

healthy() {
    exec 4<>"/dev/tcp/127.0.0.1/$1" || return 1
    printf 'GET /health HTTP/1.0\r\n\r\n' >&4
    grep -q "200" <(head -1 <&4)
}
for index in 0 1 2; do
    for _ in $(seq 1 600); do
        if healthy "${ports[$index]}" 2>/dev/null; then break; fi
        if ! kill -0 "${pids[$index]}" 2>/dev/null; then
            echo "replica-$((index + 1)) exited during start-up:" >&2
            cat "$work/replica-$((index + 1)).log" >&2
            exit 1
        fi
        sleep 0.1
    done
done
echo "==> all three replicas are serving; waiting for the background backfill to complete" >&2
completed() {
    "$bin/example-service" migrate status --json ${state_args[@]+"${state_args[@]}"} 2>/dev/null \
        | grep -c '"state" *: *"completed"' || true
}
for _ in $(seq 1 1200); do
    [[ $(completed) -eq 7 ]] && break
    sleep 0.25
done
echo "==> stopping the replicas (SIGTERM)" >&2
for pid in "${pids[@]}"; do kill -TERM "$pid"; done
for pid in "${pids[@]}"; do wait "$pid" || true; done
pids=()

for replica in 1 2 3; do
    log="$work/replica-$replica.log"
    echo "--- replica-$replica: ran $(grep -c 'migration completed' "$log" || true)," \
        "waited for another replica $(grep -c '\] waiting for ' "$log" || true) times;" \
        "$(grep -o 'results=\[[^]]*\]' "$log" | head -1)" >&2
    echo "    2025-04-03-band-orders-by-size: $(grep -o 'this process ran [^[]*' "$log" | head -1 | sed 's/ *$//')" >&2
done
echo >&2
if [[ -n "${REDIS_URL:-}" ]]; then
    "$bin/migrations" status
    echo >&2
    echo "==> migrations show 2025-04-03-band-orders-by-size (its shards, and who ran each)" >&2
    "$bin/migrations" show 2025-04-03-band-orders-by-size
else
    "$bin/example-service" migrate status "${state_args[@]}"
fi
echo >&2
echo "logs and data: $work" >&2
