#!/usr/bin/env bash
# Runs the benchmarks of issue 6 in one command, from a fresh machine:
#
#   Benchmarks/run.sh                 # the full run whose figures BENCHMARKS.md reports (about 5 minutes)
#   Benchmarks/run.sh --quick         # a smoke test of the bench itself (about 20 seconds)
#   Benchmarks/run.sh --only p1,p3    # some groups only (p1 … p8, memory)
#
# It installs redis-server, redis-tools (redis-benchmark) and time (/usr/bin/time) with apt-get when they
# are missing, creates a virtual environment with redis-py from PyPI for the P3 reference runner, builds
# `migrations-bench` (and, when it builds, the operator CLI `migrations`) in release mode, and runs the
# bench. Results go to standard output and to .build-bench/bench-results.md and .json.
#
# The bench starts its own redis-server on a free loopback port and touches nothing else. Other work on
# the machine skews every figure: the report records the load average at the start and the end.
set -euo pipefail

cd "$(dirname "$0")/.."
root="$(pwd)"
scratch="${BENCH_SCRATCH_PATH:-$root/.build-bench}"
venv="$scratch/venv"

say() { printf '==> %s\n' "$*" >&2; }

# MARK: - System packages

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        say "need root to run: $*"
        exit 1
    fi
}

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-benchmark >/dev/null || missing+=(redis-tools)
[ -x /usr/bin/time ] || missing+=(time)
command -v taskset >/dev/null || missing+=(util-linux)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# MARK: - The Python reference

if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv"
    mkdir -p "$scratch"
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import redis' 2>/dev/null; then
    say "installing redis-py from PyPI"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'redis[hiredis]>=5'
fi

# MARK: - Build

say "building migrations-bench and the test worker its fleet and takeover figures launch (release)"
swift build -c release --scratch-path "$scratch" --product migrations-bench
swift build -c release --scratch-path "$scratch" --product MigrationsTestWorker
cli_arguments=()
if grep -q 'name: "migrations"' Package.swift; then
    say "building the operator CLI 'migrations' (release), for the memory figure"
    if swift build -c release --scratch-path "$scratch" --product migrations; then
        cli_arguments=(--migrations-cli "$scratch/release/migrations")
    else
        say "the CLI did not build; the memory figure measures the bench's own status child instead"
    fi
fi

# MARK: - Run

say "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$scratch/release/migrations-bench" \
    --python "$venv/bin/python" \
    --reference-runner "$root/Benchmarks/reference_runner.py" \
    "${cli_arguments[@]}" \
    --markdown "$scratch/bench-results.md" \
    --json "$scratch/bench-results.json" \
    "$@"
say "results: $scratch/bench-results.md and $scratch/bench-results.json"
