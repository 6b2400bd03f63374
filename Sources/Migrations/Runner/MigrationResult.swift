public import Foundation

/// What happened when a migration was run or rolled back.
///
/// Results are `Codable`: the Redis store keeps the JSON at `<prefix>:<name>:result`, the file store in
/// `<name>.done`, and the CLI and HTTP layers print the same shape. Dates are ISO 8601, the duration is
/// in seconds.
public struct MigrationResult: Sendable, Codable, Equatable {
    /// The outcome of a run.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// `up` ran and the completion was recorded.
        case completed
        /// Nothing ran: the migration was already completed.
        case skipped
        /// Validation, `up` or `down` failed, timed out, was cancelled or lost its lease.
        case failed
        /// `validate` and `up` ran with `dryRun == true`; nothing was recorded.
        case dryRun = "dry-run"
        /// `down` ran and the completion was cleared.
        case rolledBack = "rolled-back"
        /// An operator paused it: the step stopped at its checkpoint (or never started) and the lease was
        /// released; it runs again, from the checkpoint, once resumed. See ``MigrationResult/control``.
        case paused
        /// Its caller stopped it (a graceful shutdown of the background worker) with
        /// ``MigrationRunOptions/recordsCancellation`` off: the step stopped, its checkpoint was written
        /// and the lease released, and nothing was recorded, so the migration is still pending and the
        /// next attempt, in any process, resumes from the checkpoint.
        case interrupted
    }

    /// Why a failed run failed.
    public enum Failure: String, Sendable, Codable, CaseIterable {
        /// The step threw an error.
        case error
        /// `validate` said the migration may not run.
        case validation
        /// The step did not finish before the run's timeout.
        case timeout
        /// The lease expired or was taken over while the step ran.
        case leaseLost = "lease-lost"
        /// The run was cancelled: by a shutdown (SIGTERM, the caller gave up), or by an operator
        /// (``MigrationResult/control`` says who and why).
        case cancelled
    }

    /// The migration's name.
    public var name: String
    /// The outcome.
    public var status: Status
    /// Why it failed, when ``status`` is ``Status/failed``.
    public var failure: Failure?
    /// When the run started.
    public var startedAt: Date
    /// When the run ended.
    public var finishedAt: Date
    /// How long the run took, in seconds.
    public var duration: Double
    /// The error message, when it failed.
    public var error: String?
    /// Warnings from validation.
    public var warnings: [String]
    /// Who or what started the run.
    public var triggeredBy: String
    /// The host that ran it.
    public var host: String
    /// The process id that ran it.
    public var pid: Int32
    /// How many times this migration has been attempted, this run included.
    public var attempts: Int
    /// The fencing token of the lease the run held, if any.
    public var fencingToken: UInt64?
    /// The random id of the run (also in its logs and its lease).
    public var runId: String?
    /// How many items the migration had processed when the run ended, earlier attempts' included: its
    /// progress count. `nil` when it reported no progress.
    public var recordsProcessed: Int?
    /// The checkpoint this run resumed from (cursor and count), when a previous attempt left one.
    public var resumedFrom: MigrationCheckpoint?
    /// The operator's request that paused or cancelled the run: who, why and when.
    public var control: MigrationControl?

    /// The shard this result is of, in a sharded migration's per-shard record; `nil` otherwise.
    public var shard: MigrationShard?

    /// How many shards the migration has, in the completion record of a sharded migration (whose
    /// ``recordsProcessed`` is then the sum over all of them); `nil` otherwise.
    public var shardCount: Int?

    /// The shards this run completed, in order, in the result a run of a sharded migration returns.
    public var shardsRun: [Int]?

    /// Creates a result.
    public init(
        name: String,
        status: Status,
        failure: Failure? = nil,
        startedAt: Date,
        finishedAt: Date,
        error: String? = nil,
        warnings: [String] = [],
        triggeredBy: String,
        host: String,
        pid: Int32,
        attempts: Int = 1,
        fencingToken: UInt64? = nil,
        runId: String? = nil,
        recordsProcessed: Int? = nil,
        resumedFrom: MigrationCheckpoint? = nil
    ) {
        self.name = name
        self.status = status
        self.failure = failure
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.duration = max(0, finishedAt.timeIntervalSince(startedAt))
        self.error = error
        self.warnings = warnings
        self.triggeredBy = triggeredBy
        self.host = host
        self.pid = pid
        self.attempts = attempts
        self.fencingToken = fencingToken
        self.runId = runId
        self.recordsProcessed = recordsProcessed
        self.resumedFrom = resumedFrom
    }

    /// Whether the run failed.
    public var isFailure: Bool { status == .failed }
}

// MARK: - JSON

extension MigrationResult {
    /// Encodes the result as compact JSON with sorted keys and ISO 8601 dates.
    public func jsonData() throws -> Data {
        try MigrationJSON.encode(self)
    }

    /// Decodes a result from JSON written by ``jsonData()``.
    ///
    /// The plain shape most results have is read by a strict reader of its own, and anything else by
    /// `JSONDecoder`, so both accept and refuse the same JSON.
    ///
    /// - Parameter data: The UTF-8 JSON.
    public static func decode(from data: Data) throws -> MigrationResult {
        if let result = data.withUnsafeBytes({ MigrationResult(flatJSON: $0) }) { return result }
        return try MigrationJSON.decode(MigrationResult.self, from: data)
    }
}

/// The JSON conventions shared by every store and front end: sorted keys, ISO 8601 dates.
public enum MigrationJSON {
    /// A new encoder with the shared conventions.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys]
        return encoder
    }

    /// A new decoder with the shared conventions.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Encodes a value in the shared, compact conventions with one encoder shared by every caller
    /// (`JSONEncoder` is thread-safe; it is never reconfigured).
    public static func encode(_ value: some Encodable) throws -> Data {
        try sharedEncoder.encode(value)
    }

    /// Decodes a value in the shared conventions with one decoder shared by every caller.
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        try sharedDecoder.decode(type, from: data)
    }

    private static let sharedEncoder = encoder()
    private static let sharedDecoder = decoder()
}
