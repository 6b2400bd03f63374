# Sourced by the demo scripts: picking a free loopback port and starting a throwaway redis-server on it.

# Prints a loopback port nothing listens on. It is picked below 32768, so it is never one the kernel
# hands out to outgoing connections (the ephemeral range starts there): such a port passes a connect
# probe and still cannot be bound.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
}

# start_redis DIR [redis-server options…]: starts redis-server on a free loopback port with its files
# and log in DIR, and waits until it answers PING. Sets `redis_pid` and `redis_port`. A server that
# exits (its port was taken between the probe and the bind) is started again on another port, up to
# five times; then, or when it never answers, the end of its log is printed and the call fails.
start_redis() {
    local dir=$1 attempt
    shift
    for attempt in 1 2 3 4 5; do
        redis_port=$(free_port)
        redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir" --save "" "$@" \
            --daemonize no --logfile "$dir/redis.log" &
        redis_pid=$!
        for _ in $(seq 1 100); do
            if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then return 0; fi
            kill -0 "$redis_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$redis_pid" 2>/dev/null; then
            kill -TERM "$redis_pid" 2>/dev/null || true
            echo "redis-server on port $redis_port did not answer PING within 10 s; its log ends:" >&2
            tail -5 "$dir/redis.log" >&2 || true
            return 1
        fi
        wait "$redis_pid" 2>/dev/null || true
        echo "redis-server could not start on port $redis_port (attempt $attempt); trying another" >&2
    done
    echo "redis-server did not start; its log ends:" >&2
    tail -5 "$dir/redis.log" >&2 || true
    return 1
}
