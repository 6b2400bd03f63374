import RedisClient

/// The Lua scripts that make each state change one atomic step on the server.
///
/// Every script that changes a migration's state while a lease is held first checks that the lease
/// still holds the caller's token (`owns`); a holder that lost its lease changes nothing.
enum RedisMigrationScripts {
    /// Shared Lua functions: `owns(leaseKey, token)` and `wake(waitersKey, listPrefix)`.
    private static let functions = """
        local function owns(key, token)
          local current = redis.call('GET', key)
          if not current then return false end
          local ok, value = pcall(cjson.decode, current)
          return ok and type(value) == 'table' and value['token'] == token
        end
        local function remember(history, entry, limit)
          redis.call('LPUSH', history, entry)
          redis.call('LTRIM', history, 0, tonumber(limit) - 1)
        end
        local function wake(waiters, listPrefix)
          for _, id in ipairs(redis.call('SMEMBERS', waiters)) do
            local list = listPrefix .. id
            redis.call('RPUSH', list, '1')
            redis.call('PEXPIRE', list, 60000)
          end
          redis.call('DEL', waiters)
        end

        """

    /// The Lua function `take(completed, lease, fence, value, ttl, skip)` behind ``acquire`` and
    /// ``completeAndAcquire``: `{'completed'}`, `{'held', value, pttl}` or `{'acquired', fence}`, or
    /// `nil` and a message when a key holds foreign data (before anything is written).
    private static let take = """
        local function take(completedKey, leaseKey, fenceKey, leaseValue, ttl, skip)
          for _, key in ipairs({completedKey, leaseKey, fenceKey}) do
            local kind = redis.call('TYPE', key)['ok']
            if kind ~= 'none' and kind ~= 'string' then
              return nil, 'WRONGTYPE ' .. key .. ' holds a ' .. kind .. ', not a string: foreign data under our keys'
            end
          end
          local done = redis.call('GET', completedKey)
          if done and done ~= 'true' then
            return nil, 'ERR ' .. completedKey .. ' holds something other than true: foreign data under our keys'
          end
          local fence = redis.call('GET', fenceKey)
          if fence and not string.match(fence, '^%d+$') then
            return nil, 'ERR ' .. fenceKey .. ' holds something other than an integer: foreign data under our keys'
          end
          if skip == '1' and done == 'true' then
            return {'completed'}
          end
          local current = redis.call('GET', leaseKey)
          if current then
            return {'held', current, redis.call('PTTL', leaseKey)}
          end
          fence = redis.call('INCR', fenceKey)
          local value = cjson.decode(leaseValue)
          value['fencingToken'] = fence
          if not redis.call('SET', leaseKey, cjson.encode(value), 'NX', 'PX', ttl) then
            return {'held', redis.call('GET', leaseKey), redis.call('PTTL', leaseKey)}
          end
          return {'acquired', fence}
        end

        """

    /// KEYS: completed, lease, fence. ARGV: lease value JSON (without fence), ttl ms, skip-if-completed (`1`/`0`).
    ///
    /// Returns `{'completed'}`, `{'held', value, pttl}` or `{'acquired', fence}`: one round trip answers
    /// whether to skip, wait or run.
    /// Foreign data under these keys is an error naming the key, never a silent "pending" or "held".
    static let acquire = RedisScript(
        take + """
            local reply, problem = take(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3])
            if not reply then return redis.error_reply(problem) end
            return reply
            """)

    /// KEYS: lease, control. ARGV: token, ttl ms. Returns `{1, control or nil}` when renewed, `{0}` when the
    /// lease is not ours: the holder learns of a pause or cancel with the renewal, at no extra round trip.
    static let renew = RedisScript(
        functions + """
            if not owns(KEYS[1], ARGV[1]) then return {0} end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return {1, redis.call('GET', KEYS[2])}
            """)

    /// KEYS: lease, progress. ARGV: token, snapshot JSON, expiry in milliseconds. Stores the snapshot only
    /// while the lease is ours, so a publish that arrives after the completion (which deletes the lease and
    /// the progress together) cannot leave a stale snapshot behind. Returns 1 when stored.
    static let publishProgress = RedisScript(
        functions + """
            if not owns(KEYS[1], ARGV[1]) then return 0 end
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
            return 1
            """)

    /// KEYS: control. ARGV: the exact value expected. Deletes it only if unchanged; returns 1 when deleted.
    static let clearControlIfUnchanged = RedisScript(
        """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
        return 1
        """)

    /// KEYS: lease, progress, waiters. ARGV: token, waiter list prefix. Returns 1 when released.
    static let release = RedisScript(
        functions + """
            if not owns(KEYS[1], ARGV[1]) then return 0 end
            redis.call('DEL', KEYS[1], KEYS[2])
            wake(KEYS[3], ARGV[2])
            return 1
            """)

    /// KEYS: completed, result, error, lease, progress, waiters, failure, checkpoint, history. ARGV: token,
    /// result JSON, waiter list prefix, history limit. Returns 1 when recorded (the checkpoint cleared, the
    /// result pushed to the history, the lease released), 0 when the lease is not ours.
    static let complete = RedisScript(
        functions + completion + """
            if not complete(KEYS, ARGV) then return 0 end
            return 1
            """)

    /// The Lua function `complete(keys, argv)` behind ``complete`` and ``completeAndAcquire``, over their
    /// first nine keys and four arguments: `false` when the lease is not ours (nothing written).
    private static let completion = """
        local function complete(keys, argv)
          if not owns(keys[4], argv[1]) then return false end
          remember(keys[9], argv[2], argv[4])
          redis.call('SET', keys[1], 'true')
          redis.call('SET', keys[2], argv[2])
          redis.call('DEL', keys[3], keys[4], keys[5], keys[7], keys[8])
          wake(keys[6], argv[3])
          return true
        end

        """

    /// KEYS: the nine of ``complete``, then completed, lease, fence of the next migration. ARGV: the four
    /// of ``complete``, then the three of ``acquire`` for the next migration.
    ///
    /// Records the completion exactly as ``complete`` does, then tries to take the next migration's lease
    /// exactly as ``acquire`` does: one round trip between two migrations of a run. Returns `{0}` when
    /// the lease is not ours (nothing written, nothing taken); `{1}` followed by the reply of ``acquire``;
    /// or `{1}` alone when the next migration's keys hold foreign data, which the caller's own
    /// ``acquire`` then reports. The completion never fails because of the next migration.
    static let completeAndAcquire = RedisScript(
        functions + completion + take + """
            if not complete(KEYS, ARGV) then return {0} end
            local reply = take(KEYS[10], KEYS[11], KEYS[12], ARGV[5], ARGV[6], ARGV[7])
            if not reply then return {1} end
            return {1, unpack(reply)}
            """)

    /// KEYS: error, lease, progress, waiters, failure, history. ARGV: token, message, waiter list prefix,
    /// failed result JSON, history limit. Returns 1 when recorded (and the lease released), 0 when the
    /// lease is not ours.
    static let fail = RedisScript(
        functions + """
            if not owns(KEYS[2], ARGV[1]) then return 0 end
            remember(KEYS[6], ARGV[4], ARGV[5])
            redis.call('SET', KEYS[1], ARGV[2])
            redis.call('SET', KEYS[5], ARGV[4])
            redis.call('DEL', KEYS[2], KEYS[3])
            wake(KEYS[4], ARGV[3])
            return 1
            """)

    /// KEYS: completed, result, error, lease, progress, waiters, failure, checkpoint, history. ARGV: token,
    /// result JSON, waiter list prefix, history limit.
    static let rollBack = RedisScript(
        functions + """
            if not owns(KEYS[4], ARGV[1]) then return 0 end
            remember(KEYS[9], ARGV[2], ARGV[4])
            redis.call('DEL', KEYS[1], KEYS[3], KEYS[4], KEYS[5], KEYS[7], KEYS[8])
            redis.call('SET', KEYS[2], ARGV[2])
            wake(KEYS[6], ARGV[3])
            return 1
            """)

    /// KEYS: lease, progress, waiters, history. ARGV: token, waiter list prefix, paused result JSON, history
    /// limit. Records a pause in the history and releases the lease; returns 1, or 0 when it is not ours.
    static let pause = RedisScript(
        functions + """
            if not owns(KEYS[1], ARGV[1]) then return 0 end
            remember(KEYS[4], ARGV[3], ARGV[4])
            redis.call('DEL', KEYS[1], KEYS[2])
            wake(KEYS[3], ARGV[2])
            return 1
            """)

    /// KEYS: lease, checkpoint, fence. ARGV: token, fencing token, checkpoint JSON.
    ///
    /// Saves the checkpoint only if the lease still holds the token, the fence has not moved past the
    /// fencing token, and the stored checkpoint (if it is ours) carries no higher one. Returns `{1}` when
    /// saved, `{0}` when the lease is not ours, `{-1, newer}` when a later holder's fence is higher.
    static let saveCheckpoint = RedisScript(
        functions + """
            local ours = tonumber(ARGV[2])
            local fence = tonumber(redis.call('GET', KEYS[3]) or '0') or 0
            if fence > ours then return {-1, fence} end
            local current = redis.call('GET', KEYS[2])
            if current then
              local ok, value = pcall(cjson.decode, current)
              if ok and type(value) == 'table' and tonumber(value['fencingToken'] or 0) > ours then
                return {-1, tonumber(value['fencingToken'])}
              end
            end
            if not owns(KEYS[1], ARGV[1]) then return {0} end
            redis.call('SET', KEYS[2], ARGV[3])
            return {1}
            """)

    /// KEYS: waiters. ARGV: waiter list prefix. Wakes every waiter; returns how many there were.
    static let wakeWaiters = RedisScript(
        functions + """
            local count = redis.call('SCARD', KEYS[1])
            wake(KEYS[1], ARGV[1])
            return count
            """)

    /// KEYS: lease, fence, progress, waiters. ARGV: waiter list prefix, the exact value expected.
    /// Clears the lease only if it still holds exactly the expected value (whatever its shape: ours,
    /// another tool's, garbage), and bumps the fence. Returns 1 when cleared, 0 when the value changed.
    static let forceUnlockIfUnchanged = RedisScript(
        functions + """
            if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
            redis.call('DEL', KEYS[1], KEYS[3])
            redis.call('INCR', KEYS[2])
            wake(KEYS[4], ARGV[1])
            return 1
            """)

    /// KEYS: lease, fence, progress, waiters. ARGV: waiter list prefix.
    /// Clears any holder's lease and bumps the fence, so the old holder can no longer complete. Returns
    /// the cleared value, or nil when there was none.
    static let forceUnlock = RedisScript(
        functions + """
            local current = redis.call('GET', KEYS[1])
            redis.call('DEL', KEYS[1], KEYS[3])
            redis.call('INCR', KEYS[2])
            wake(KEYS[4], ARGV[1])
            return current
            """)
}
