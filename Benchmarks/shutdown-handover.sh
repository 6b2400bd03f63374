#!/usr/bin/env bash
# Graceful hand-over of a background migration (issue 13): starts a throwaway redis-server and one replica
# of example-service, lets its worker run the order-totals backfill (500 ms a batch), sends SIGTERM
# mid-backfill and prints how long until the replica's lease key is gone, its exit code, the checkpoint
# it left and whether an error was recorded (it should not be). Three rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product example-service >&2
bin=$(swift build --show-bin-path)
for round in 1 2 3; do
  work=$(mktemp -d); port=$((20000 + RANDOM % 40000))
  redis-server --port $port --bind 127.0.0.1 --dir $work --save "" --daemonize no --logfile $work/redis.log & r=$!
  until redis-cli -p $port ping >/dev/null 2>&1; do sleep 0.05; done
  REDIS_URL=redis://127.0.0.1:$port EXAMPLE_DATA_DIR=$work/data EXAMPLE_IMPORT_PAUSE_MS=0 EXAMPLE_BACKFILL_PAUSE_MS=500 EXAMPLE_DEMO_ORDERS=20000 \
    $bin/example-service serve --port $((port+1)) --lease-ttl 30 > $work/serve.log 2>&1 & s=$!
  key=migration:2025-04-02-backfill-order-totals
  until redis-cli -p $port get $key:checkpoint 2>/dev/null | grep -q '"completed":[2-9][0-9]\{3\}'; do sleep 0.05; done
  start=$(date +%s%N); kill -TERM $s
  while [ "$(redis-cli -p $port exists $key:lease)" = 1 ]; do sleep 0.005; done
  end=$(date +%s%N); code=0; wait $s || code=$?
  echo "round $round: lease gone $(( (end-start)/1000000 )) ms after SIGTERM; exit $code; checkpoint $(redis-cli -p $port get $key:checkpoint | grep -o '"completed":[0-9]*'); error key: $(redis-cli -p $port exists $key:error)"
  kill $r; wait $r 2>/dev/null || true; rm -rf $work
done
