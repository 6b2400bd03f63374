public import ArgumentParser
import Foundation
import Logging

/// The options every `migrate` subcommand shares: where state and leases live, and how to log.
///
/// With `--redis-url` (or `REDIS_URL`) state and leases are in Redis under `--prefix`; otherwise they are
/// files in `--state-dir` (`.migrations` by default), which coordinates processes on one machine only.
public struct MigrateStoreOptions: ParsableArguments, Sendable {
    /// The Redis URL, when given on the command line.
    @Option(
        name: .customLong("redis-url"),
        help: ArgumentHelp(
            "Keep state and leases in this Redis (else REDIS_URL; else files in --state-dir).",
            valueName: "url"))
    public var redisURL: String?

    /// The directory of the file store, when given.
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Directory of the file store when Redis is not used. (default: .migrations)", valueName: "dir"))
    public var stateDirectory: String?

    /// The Redis key prefix.
    @Option(name: .customLong("prefix"), help: ArgumentHelp("Redis key prefix.", valueName: "prefix"))
    public var prefix: String = "migration"

    /// The lease TTL in seconds.
    @Option(
        name: .customLong("lease-ttl"),
        help: ArgumentHelp("Redis lease time to live in seconds; renewed every third of it.", valueName: "seconds"))
    public var leaseTimeToLive: Double = 30

    /// Who started the run, when given.
    @Option(
        name: .customLong("triggered-by"),
        help: ArgumentHelp(
            "Who or what starts the run, recorded with results and leases. (default: the OS user)",
            valueName: "name"))
    public var triggeredBy: String?

    /// The log level, when given.
    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp(
            "trace, debug, info, notice, warning, error or critical. (default: info; warning on a terminal)",
            valueName: "level"))
    public var logLevel: String?

    /// Creates options with the defaults; ArgumentParser fills them from the command line.
    public init() {}

    /// Checks the values that parsing alone cannot.
    public func validate() throws {
        guard leaseTimeToLive >= 0.03, leaseTimeToLive.isFinite else {
            throw ValidationError("--lease-ttl must be at least 0.03 seconds, not \(leaseTimeToLive)")
        }
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError(
                "--log-level must be one of trace, debug, info, notice, warning, error, critical; not '\(logLevel)'")
        }
        if stateDirectory != nil {
            if redisURL != nil {
                throw ValidationError("--state-dir selects the file store; it cannot be combined with --redis-url")
            }
            if let environment = ProcessInfo.processInfo.environment["REDIS_URL"], !environment.isEmpty {
                throw ValidationError(
                    "--state-dir selects the file store, but REDIS_URL is set; unset REDIS_URL or drop --state-dir")
            }
        }
        if prefix.isEmpty {
            throw ValidationError("--prefix must not be empty")
        }
    }

    /// The lease TTL as a duration.
    var leaseDuration: Duration {
        .milliseconds(Int64((leaseTimeToLive * 1000).rounded()))
    }
}
