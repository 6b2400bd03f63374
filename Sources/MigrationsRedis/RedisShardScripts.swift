import RedisClient

/// The scripts of sharded migrations: one round trip to take a free shard, one to complete it (and the
/// migration, when it was the last).
enum RedisShardScripts {
    /// Takes the first shard, in the order given, that is neither completed nor leased.
    ///
    /// KEYS: the migration's `:completed` and `:shards`, then for each candidate shard its `:completed`,
    /// `:lease`, `:fence`, `:checkpoint` and `:failure`. ARGV: the lease value (JSON), the TTL in
    /// milliseconds, the shard count, then the candidates' numbers. Replies `{'completed'}`,
    /// `{'acquired', k, fence, checkpoint, failure}` (the shard's, `''` when none: what the attempt resumes
    /// from, read in the same round trip),
    /// `{'held', k, lease, pttl, …}`, `{'done'}`, or `{'count', n}` when the migration's run was started
    /// with another shard count `n`.
    static let claim = RedisScript(
        """
        local done = redis.call('GET', KEYS[1])
        if done == 'true' then return {'completed'} end
        if done then
          return redis.error_reply('ERR ' .. KEYS[1] .. ' holds something other than true: foreign data under our keys')
        end
        local count = redis.call('GET', KEYS[2])
        if count and count ~= ARGV[3] then return {'count', count} end
        local held = {'held'}
        for i = 4, #ARGV do
          local base = 3 + (i - 4) * 5
          local shardDone = redis.call('GET', KEYS[base])
          if shardDone and shardDone ~= 'true' then
            return redis.error_reply('ERR ' .. KEYS[base] .. ' holds something other than true: foreign data under our keys')
          end
          if not shardDone then
            local current = redis.call('GET', KEYS[base + 1])
            if current then
              table.insert(held, ARGV[i])
              table.insert(held, current)
              table.insert(held, redis.call('PTTL', KEYS[base + 1]))
            else
              local stored = redis.call('GET', KEYS[base + 2])
              if stored and not string.match(stored, '^%d+$') then
                return redis.error_reply('ERR ' .. KEYS[base + 2] .. ' holds something other than an integer: foreign data under our keys')
              end
              local fence = redis.call('INCR', KEYS[base + 2])
              local value = cjson.decode(ARGV[1])
              value['fencingToken'] = fence
              redis.call('SET', KEYS[base + 1], cjson.encode(value), 'PX', ARGV[2])
              redis.call('SET', KEYS[2], ARGV[3])
              return {'acquired', ARGV[i], fence, redis.call('GET', KEYS[base + 3]) or '',
                redis.call('GET', KEYS[base + 4]) or ''}
            end
          end
        end
        if #held == 1 then return {'done'} end
        return held
        """)

    /// Completes a shard if its lease is still this owner's; then, if every shard is completed and the
    /// migration is not, records the migration's completion with the records of all shards summed.
    ///
    /// KEYS 1–7: the shard's `:lease`, `:completed`, `:result`, `:checkpoint`, `:progress`, `:waiters`,
    /// `:history`; 8–14: the migration's `:completed`, `:result`, `:error`, `:failure`, `:checkpoint`,
    /// `:history`, `:control`; 15–16: the shard's `:error` and `:failure`; 17: the migration's `:shards`;
    /// then every shard's `:completed`, every shard's `:result`, every shard's
    /// `:checkpoint`. ARGV: the owner token, the shard's result, the migration's result (with
    /// `"recordsProcessed":0`, replaced by the sum), the shard's waiter-list prefix, the history limit,
    /// the shard count. Replies `{0}` when refused, else `{1, completed 0|1, shards done, error, control}`.
    static let complete = RedisScript(
        """
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
        if not owns(KEYS[1], ARGV[1]) then return {0} end
        remember(KEYS[7], ARGV[2], ARGV[5])
        redis.call('SET', KEYS[2], 'true')
        redis.call('SET', KEYS[3], ARGV[2])
        redis.call('DEL', KEYS[1], KEYS[4], KEYS[5], KEYS[15], KEYS[16])
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[6])) do
          local list = ARGV[4] .. id
          redis.call('RPUSH', list, '1')
          redis.call('PEXPIRE', list, 60000)
        end
        redis.call('DEL', KEYS[6])
        local n = tonumber(ARGV[6])
        local done = 0
        for i = 1, n do
          if redis.call('GET', KEYS[17 + i]) == 'true' then done = done + 1 end
        end
        local completed = 0
        if done == n and redis.call('GET', KEYS[8]) ~= 'true' then
          local total = 0
          for i = 1, n do
            local raw = redis.call('GET', KEYS[17 + n + i])
            if raw then
              local ok, value = pcall(cjson.decode, raw)
              if ok and type(value) == 'table' and type(value['recordsProcessed']) == 'number' then
                total = total + value['recordsProcessed']
              end
            end
          end
          local final = string.gsub(ARGV[3], '"recordsProcessed":0', '"recordsProcessed":' .. string.format('%d', total), 1)
          remember(KEYS[13], final, ARGV[5])
          redis.call('SET', KEYS[8], 'true')
          redis.call('SET', KEYS[9], final)
          redis.call('DEL', KEYS[10], KEYS[11], KEYS[12], KEYS[17])
          for i = 1, n do
            redis.call('DEL', KEYS[17 + i], KEYS[17 + 2 * n + i])
          end
          completed = 1
        end
        return {1, completed, done, redis.call('GET', KEYS[10]) or '', redis.call('GET', KEYS[14]) or ''}
        """)
}
