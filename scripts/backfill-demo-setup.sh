# Sourced by the backfill demos (resume-demo.sh, pause-demo.sh) from the repository root, with
# `demo_name` set: installs what is missing, builds example-service and migrations, and starts a throwaway
# redis-server in a temporary directory that is removed on exit, with every process in `pids` killed.
# Leaves `bin`, `work`, `port` (the Redis port; replicas use the ports after it), `key` (the backfill's
# key prefix) and the environment the replicas read (REDIS_URL, EXAMPLE_DATA_DIR, the pauses).

scripts/install-dependencies.sh || echo "could not install hiredis/redis; trying with what is here" >&2
swift build --product example-service >&2
swift build --product migrations >&2
bin=$(swift build --show-bin-path)

work=$(mktemp -d -t "migrations-$demo_name.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

source scripts/demo-redis.sh
start_redis "$work"
pids+=("$redis_pid")
port=$redis_port
export REDIS_URL="redis://127.0.0.1:$port" EXAMPLE_DATA_DIR="$work/data" EXAMPLE_IMPORT_PAUSE_MS=0
export EXAMPLE_BACKFILL_PAUSE_MS="${EXAMPLE_BACKFILL_PAUSE_MS:-20}"
key=migration:2025-04-02-backfill-order-totals
