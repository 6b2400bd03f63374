#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test this package: hiredis (the C client),
# SQLite's headers (the example service), redis-server and redis-tools, curl (the demo scripts, the
# events-stream test and the browser test's WebDriver calls); extra packages named as arguments (the test
# script adds docker-compose, to validate compose.yaml, and browser: Debian's chromium and
# chromium-driver, for the dashboard's browser test). Swift must be on PATH.
set -euo pipefail

packages=()
[[ -f /usr/include/hiredis/hiredis.h ]] || packages+=(libhiredis-dev)
[[ -f /usr/include/sqlite3.h ]] || packages+=(libsqlite3-dev)
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || packages+=(redis-tools)
command -v curl >/dev/null 2>&1 || packages+=(curl)
for extra in "$@"; do
    case "$extra" in
        docker-compose) command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose) ;;
        browser)
            command -v chromium >/dev/null 2>&1 || packages+=(chromium)
            command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
            ;;
        *) packages+=("$extra") ;;
    esac
done

if ((${#packages[@]} == 0)); then
    exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root or sudo to install: ${packages[*]}" >&2; exit 1; }
    sudo="sudo"
fi
echo "installing: ${packages[*]}" >&2
$sudo apt-get update -qq
if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null; then
    # Without a browser everything but the dashboard's browser test still runs; that test then reports
    # itself skipped, loudly. Anything else missing is an error.
    browserless=()
    for package in "${packages[@]}"; do
        [[ $package == chromium || $package == chromium-driver ]] || browserless+=("$package")
    done
    echo "########################################################################" >&2
    echo "# could not install chromium and chromium-driver: the dashboard's       #" >&2
    echo "# browser test will be SKIPPED (not passed)                            #" >&2
    echo "########################################################################" >&2
    if ((${#browserless[@]} > 0)); then
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${browserless[@]}" >/dev/null
    fi
fi
