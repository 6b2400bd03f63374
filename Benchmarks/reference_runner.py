#!/usr/bin/env python3
"""The reference migration runner of benchmark P3, written with redis-py.

For each of `--count` no-op migrations, in order, it does what a straightforward redis-py runner does,
on the same keys as the Swift runner (`<prefix>:<name>:completed|result|lease`):

  1. GET <prefix>:<name>:completed; skip the migration when it is "true";
  2. take redis.lock.Lock on <prefix>:<name>:lease (SET NX PX, TTL --ttl-ms), waiting if it is held;
  3. run the migration (a no-op);
  4. SET :completed "true" and SET :result <result JSON>, pipelined in one round trip;
  5. release the lock (redis-py's compare-and-delete Lua script).

It prints one JSON line: elapsed seconds (the loop only, the connection already open), how many ran,
how many round trips it made (every redis-py call is one, the pipeline one; a NOSCRIPT retry inside
redis-py's Script is not seen and not counted), the redis-py version and which reply parser it used.
"""

import argparse
import json
import os
import socket
import sys
import time
from datetime import datetime, timezone

import redis
from redis.utils import HIREDIS_AVAILABLE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="redis://127.0.0.1:PORT")
    parser.add_argument("--prefix", default="migration", help="key prefix (default: migration)")
    parser.add_argument("--count", type=int, default=1000, help="how many migrations (default: 1000)")
    parser.add_argument("--ttl-ms", type=int, default=30000, help="lock TTL in milliseconds (default: 30000)")
    args = parser.parse_args()

    client = redis.Redis.from_url(args.url)
    client.ping()
    names = [f"noop-{index:05d}" for index in range(args.count)]
    host, pid = socket.gethostname(), os.getpid()
    ran = round_trips = 0

    start = time.perf_counter()
    for name in names:
        key = f"{args.prefix}:{name}"
        round_trips += 1
        if client.get(f"{key}:completed") == b"true":
            continue
        lock = client.lock(f"{key}:lease", timeout=args.ttl_ms / 1000, blocking_timeout=600)
        round_trips += 1
        if not lock.acquire():
            print(f"could not take the lock of {name}", file=sys.stderr)
            return 1
        try:
            started = datetime.now(timezone.utc)
            # The migration itself: a no-op.
            finished = datetime.now(timezone.utc)
            result = {
                "name": name,
                "status": "completed",
                "startedAt": started.isoformat(),
                "finishedAt": finished.isoformat(),
                "duration": (finished - started).total_seconds(),
                "warnings": [],
                "triggeredBy": "reference",
                "host": host,
                "pid": pid,
                "attempts": 1,
            }
            pipeline = client.pipeline(transaction=False)
            pipeline.set(f"{key}:completed", "true")
            pipeline.set(f"{key}:result", json.dumps(result, sort_keys=True, separators=(",", ":")))
            pipeline.execute()
            round_trips += 1
            ran += 1
        finally:
            lock.release()
            round_trips += 1
    elapsed = time.perf_counter() - start

    print(
        json.dumps(
            {
                "elapsed_s": elapsed,
                "ran": ran,
                "round_trips": round_trips,
                "redis_py": redis.__version__,
                "parser": "hiredis" if HIREDIS_AVAILABLE else "python",
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
