#!/usr/bin/env bash
# The whole test suite, on a fresh Debian machine: installs what is missing, builds, runs every test.
# Tests that need Redis start their own redis-server on a free loopback port and stop it by its pid.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh docker-compose
swift build --build-tests
swift test --skip-build
