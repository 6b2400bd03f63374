import Foundation
import Migrations
import RedisClient
import Synchronization

// MARK: - Waiting

extension RedisLeaseProvider {
    /// How long one blocking wait lasts at most: the bound on how late a cancelled waiter notices.
    public static let waitSlice: Duration = .milliseconds(500)

    /// Blocks until the holder releases the lease (it pushes to this waiter's list), or until the lease's
    /// remaining TTL or `timeout` passes, whichever is first.
    ///
    /// The wait is a series of `BLPOP`s of at most ``waitSlice`` each, so a cancelled task stops waiting
    /// within half a second: a blocked `BLPOP` cannot be interrupted from the client side, and a bounded
    /// slice costs one cheap round trip every half second, while `CLIENT UNBLOCK` would need yet another
    /// connection. On cancellation the waiter unregisters and throws `CancellationError`.
    ///
    /// - Parameters:
    ///   - name: The migration whose lease is held.
    ///   - timeout: How long to wait at most.
    public func waitForRelease(of name: String, timeout: Duration) async throws {
        let waiters = WaiterSet(members: keys.waiters(name), listPrefix: keys.waiterListPrefix(name), expires: false)
        try await wait(on: waiters, leaseOf: name, timeout: timeout)
    }

    /// Blocks until the holder's whole run of pending migrations ends or reaches a sharded migration
    /// (``wakeWaiters(ofPendingRun:)`` pushes to this waiter's list), or until the remaining TTL of the
    /// lease of `name` or `timeout` passes, whichever is first; otherwise as ``waitForRelease(of:timeout:)``.
    ///
    /// The lease's TTL bounds the wait, so a waiter still takes over from a holder that died: it finds
    /// the next lease of that run held, waits again until that one would expire, and then takes it. An
    /// operator who clears a lease of the run (``forceUnlock(_:)``, `migrations unlock`) wakes its waiters.
    ///
    /// - Parameters:
    ///   - run: The holder's ``Migrations/LeaseHolder/pendingRun``.
    ///   - name: The migration whose lease was found held.
    ///   - timeout: How long to wait at most.
    public func waitForPendingRun(_ run: String, holding name: String, timeout: Duration) async throws {
        let waiters = WaiterSet(members: keys.runWaiters(run), listPrefix: keys.runWaiterListPrefix(run), expires: true)
        try await wait(on: waiters, leaseOf: name, timeout: timeout)
    }

    /// Wakes every replica waiting for the run (``waitForPendingRun(_:holding:timeout:)``): one script.
    ///
    /// - Parameter run: The run whose waiters are woken.
    public func wakeWaiters(ofPendingRun run: String) async throws {
        do {
            try await RedisRunWaiters.wake(run, keys: keys, on: commands)
        } catch {
            throw leaseError("could not wake the replicas waiting for the run \(run)", name: nil, error)
        }
    }

    /// The keys one kind of wait registers under.
    private struct WaiterSet {
        /// The set of waiting ids.
        var members: String
        /// The prefix of each waiter's wake-up list.
        var listPrefix: String
        /// Whether the set is given an expiry: a run's set is removed by nobody when its holder dies.
        var expires: Bool
    }

    private func wait(on waiters: WaiterSet, leaseOf name: String, timeout: Duration) async throws {
        let connection = try await waitConnection()
        defer { idleWaitConnections.withLock { $0.append(connection) } }
        // Every step of the wait is a call on this connection, with nothing else in between: run them all
        // on its thread, so the task moves there once instead of twice for every call.
        try await withTaskExecutorPreference(connection.executor) {
            try await wait(on: waiters, leaseOf: name, timeout: timeout, connection: connection)
        }
    }

    private func wait(
        on waiters: WaiterSet, leaseOf name: String, timeout: Duration, connection: RedisConnection
    ) async throws {
        let id = LeaseToken.random()
        let list = waiters.listPrefix + id
        do {
            var register: [[String]] = [["SADD", waiters.members, id], ["PTTL", keys.lease(name)]]
            if waiters.expires {
                // Every waiter registers again within a lease's TTL, so the set outlives its waiters only
                // by this margin when its holder dies without waking them.
                register.append(["PEXPIRE", waiters.members, String(timeToLiveMilliseconds + 60_000)])
            }
            let replies = try await connection.pipeline(register)
            let remaining = replies[1].int ?? -2
            if remaining != -2 {
                let leaseLeft: Duration = remaining >= 0 ? .milliseconds(remaining + 20) : .seconds(1)
                let end = ContinuousClock.now + min(timeout, leaseLeft)
                while !Task.isCancelled {
                    let left = end - ContinuousClock.now
                    guard left > .zero else { break }
                    let slice = min(left, Self.waitSlice)
                    let woken = try await connection.send(
                        ["BLPOP", list, String(format: "%.3f", max(0.01, slice.timeInterval))],
                        timeout: slice + .seconds(2))
                    if woken != .null { break }
                }
            }
            _ = try? await connection.pipeline([["SREM", waiters.members, id], ["DEL", list]])
        } catch {
            _ = try? await connection.pipeline([["SREM", waiters.members, id], ["DEL", list]])
            throw leaseError("could not wait for the lease \(keys.lease(name))", name: name, error)
        }
        try Task.checkCancellation()
    }

    private func waitConnection() async throws -> RedisConnection {
        if let idle = idleWaitConnections.withLock({ $0.popLast() }) { return idle }
        do {
            return try await RedisConnection(configuration: commands.configuration)
        } catch {
            throw leaseError("could not open a connection to wait for a lease", name: nil, error)
        }
    }
}

/// Waking the replicas that wait for a whole run of pending migrations, from the run's end or from an
/// operator clearing one of its leases.
enum RedisRunWaiters {
    /// Pushes to every waiter's list of the run and removes its set: one script.
    static func wake(_ run: String, keys: RedisMigrationKeys, on connection: RedisConnection) async throws(RedisError) {
        _ = try await connection.evaluate(
            RedisMigrationScripts.wakeWaiters, keys: [keys.runWaiters(run)],
            arguments: [keys.runWaiterListPrefix(run)])
    }

    /// After a lease was cleared by an operator: wakes its run's waiters, when its holder was working
    /// through pending migrations, so they take it over now rather than when it would have expired. A
    /// failure only leaves them waiting until then.
    static func wakeAfterClearing(_ cleared: RedisLeaseValue?, keys: RedisMigrationKeys, on connection: RedisConnection)
        async
    {
        guard let run = cleared?.pendingRun else { return }
        try? await wake(run, keys: keys, on: connection)
    }
}
