import Foundation
public import Migrations
public import RedisClient
import Synchronization

/// Leases in Redis: the cross-process "running" mark for a fleet of replicas.
///
/// A lease is the key `<prefix>:<name>:lease`, taken with `SET key value NX PX ttl` inside one script
/// that first answers "already completed" and increments the fencing token `<prefix>:<name>:fence`:
/// the first step of a run is one round trip. The value is a ``RedisLeaseValue`` (owner token, host,
/// pid, triggeredBy, acquiredAt, fencing token). While the step runs, the runner renews the lease every
/// third of its TTL with a compare-and-`PEXPIRE` on a connection of its own; release is a
/// compare-and-delete, never a plain `DEL`.
///
/// A holder that dies stops renewing: its lease expires after the TTL and a waiting replica takes over.
/// A holder that stalls past its TTL finds, when it resumes, that its fenced completion is refused.
///
/// Replicas that find a lease held wait for it (``waitForRelease(of:timeout:)``) by blocking on a list
/// that the releasing script pushes to, so they wake as soon as the holder finishes. When the holder is
/// working through its pending migrations, they wait for that whole run instead
/// (``waitForPendingRun(_:holding:timeout:)``), so a fleet does not wake for every migration.
public final class RedisLeaseProvider: MigrationLeaseProvider {
    /// The key layout.
    public let keys: RedisMigrationKeys
    /// How long a lease lives without renewal.
    public let timeToLive: Duration
    /// How long acquiring rides out a restarting server (`LOADING`, refused connections); 10 seconds by default.
    public let restartRetryWindow: Duration

    let commands: RedisConnection
    let renewals: RedisConnection
    let idleWaitConnections = Mutex<[RedisConnection]>([])

    /// Creates a provider.
    ///
    /// - Parameters:
    ///   - commands: The connection for acquire and release; it may be shared with the state store.
    ///   - renewals: A connection used only for renewals, so they never queue behind other commands.
    ///   - keys: The key layout.
    ///   - timeToLive: The lease TTL, 30 seconds by default; at least 30 milliseconds.
    ///   - restartRetryWindow: How long acquiring retries while the server loads or refuses connections.
    public init(
        commands: RedisConnection,
        renewals: RedisConnection,
        keys: RedisMigrationKeys = RedisMigrationKeys(),
        timeToLive: Duration = .seconds(30),
        restartRetryWindow: Duration = .seconds(10)
    ) throws(MigrationError) {
        guard timeToLive >= .milliseconds(30) else {
            throw MigrationError(.invalidConfiguration, "the lease TTL must be at least 30 ms, not \(timeToLive)")
        }
        self.commands = commands
        self.renewals = renewals
        self.keys = keys
        self.timeToLive = timeToLive
        self.restartRetryWindow = restartRetryWindow
    }

    var timeToLiveMilliseconds: Int64 {
        let components = timeToLive.components
        return components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    // MARK: - Acquiring

    /// Tries once to take the lease: one script that answers completed, held (with the holder) or acquired.
    ///
    /// If the script's reply is lost (a timeout, a dropped connection) it may still have run: the lease is
    /// then read back, and it is ours exactly when it holds our token.
    public func acquire(_ request: LeaseRequest) async throws -> LeaseAcquisition {
        let name = request.name
        let call = try acquireCall(request)
        let reply: RedisReply
        do {
            reply = try await RedisRestartRetry(window: restartRetryWindow).run(.notRun) {
                try await commands.evaluate(RedisMigrationScripts.acquire, keys: call.keys, arguments: call.arguments)
            }
        } catch let error as RedisError where error.isTransport && error.code != .connectionRefused {
            return try await resolveAmbiguousAcquire(name: name, token: call.token, cause: error)
        } catch let error as RedisError {
            throw leaseError("could not start migration '\(name)'", name: name, error)
        }
        guard let parts = reply.array else {
            throw MigrationError(.lease, "unexpected reply to the acquire script: \(reply)", migration: name)
        }
        return try acquisition(from: parts, for: request, token: call.token)
    }

    /// The keys and arguments of the acquire script for a request, with the new owner token they carry.
    func acquireCall(_ request: LeaseRequest) throws -> (keys: [String], arguments: [String], token: String) {
        let name = request.name
        let value = leaseValue(for: request.holder)
        let json = String(decoding: try MigrationJSON.encode(value), as: UTF8.self)
        return (
            [keys.completed(name), keys.lease(name), keys.fence(name)],
            [json, String(timeToLiveMilliseconds), request.skipIfCompleted ? "1" : "0"],
            value.token
        )
    }

    /// Reads the acquire script's reply (`{'completed'}`, `{'held', value, pttl}` or `{'acquired', fence}`).
    func acquisition(from parts: [RedisReply], for request: LeaseRequest, token: String) throws -> LeaseAcquisition {
        let name = request.name
        guard let verdict = parts.first?.string else {
            throw MigrationError(.lease, "unexpected reply to the acquire script: \(parts)", migration: name)
        }
        switch verdict {
        case "completed":
            return .alreadyCompleted
        case "held":
            let raw = parts.count > 1 ? parts[1].bytes : nil
            guard let holder = raw.flatMap(RedisLeaseValue.decode) else {
                throw MigrationError(
                    .lease,
                    "\(keys.lease(name)) holds data that is not a lease value (foreign data under our keys); "
                        + "remove it, or clear it with `migrations unlock '\(name)' --force`",
                    migration: name)
            }
            return .heldBy(holder.holder(ttlLeftMilliseconds: parts.count > 2 ? parts[2].int : nil))
        default:
            let fencingToken = parts.count > 1 ? parts[1].int.map { UInt64(max(0, $0)) } : nil
            return .acquired(
                lease(name: name, token: token, fencingToken: fencingToken),
                completionChecked: request.skipIfCompleted)
        }
    }

    /// After a lost reply: read the lease back (a few times, as the server may be paused) and own it only
    /// if it holds our token. If it cannot be read, give up: a lease we might hold expires by its TTL.
    func resolveAmbiguousAcquire(name: String, token: String, cause: RedisError) async throws
        -> LeaseAcquisition
    {
        var lastError = cause
        for attempt in 0..<3 {
            if attempt > 0 { try await Task.sleep(for: timeToLive / 6) }
            do {
                let reply = try await RedisRestartRetry(window: restartRetryWindow).run(.read) {
                    try await commands.send(["GET", keys.lease(name)])
                }
                guard let value = reply.bytes.flatMap(RedisLeaseValue.decode) else { return .heldBy(nil) }
                if value.token == token {
                    return .acquired(
                        lease(name: name, token: token, fencingToken: value.fencingToken), completionChecked: false)
                }
                return .heldBy(value.holder(ttlLeftMilliseconds: nil))
            } catch let error as RedisError {
                lastError = error
            }
        }
        throw leaseError(
            "could not take the lease \(keys.lease(name)) and could not find out whether the attempt took it "
                + "(if it did, it expires within \(timeToLive))", name: name, lastError)
    }

    func lease(name: String, token: String, fencingToken: UInt64?, controlName: String? = nil) -> RedisLease {
        RedisLease(
            name: name, fence: LeaseFence(token: token, fencingToken: fencingToken), provider: self,
            controlName: controlName ?? name)
    }

    /// The lease value a request records, with a new owner token.
    func leaseValue(for holder: LeaseHolder) -> RedisLeaseValue {
        RedisLeaseValue(
            token: LeaseToken.random(), host: holder.host, pid: holder.pid, triggeredBy: holder.triggeredBy,
            acquiredAt: holder.acquiredAt, ttlMs: timeToLiveMilliseconds, runId: holder.runId,
            pendingRun: holder.pendingRun)
    }

    // MARK: - Operator actions

    /// Clears a migration's lease whoever holds it, and bumps its fence so the old holder can no longer
    /// record anything. An operator's tool for a stuck lease.
    ///
    /// - Returns: The value that was cleared, if there was one.
    public func forceUnlock(_ name: String) async throws -> RedisLeaseValue? {
        do {
            return try await RedisForceUnlock.run(name, keys: keys, on: commands)
        } catch {
            throw leaseError("could not clear the lease \(keys.lease(name))", name: name, error)
        }
    }

    func leaseError(_ what: String, name: String?, _ error: RedisError) -> MigrationError {
        MigrationError(.lease, "\(what): \(error.message)", migration: name, cause: error)
    }
}
