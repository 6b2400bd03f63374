public import Foundation

/// Where an attempt got to: a cursor of the migration's choosing plus the progress count at that point.
///
/// The runner keeps one per migration (Redis `<prefix>:<name>:checkpoint`, the file store's
/// `<stem>.checkpoint`, memory) and hands it to the next attempt as ``MigrationContext/checkpoint``, so a
/// backfill interrupted by a deploy, a crash or a lost lease resumes instead of starting from row 0.
/// Stored as JSON:
///
/// ```json
/// {"completed":41000,"cursor":{"id":41000},"fencingToken":7,"host":"api-7f9c","pid":4242,
///  "runId":"5f0c…","savedAt":"2026-12-01T10:04:05Z","total":200000}
/// ```
///
/// Saves are fenced: a store refuses a checkpoint whose ``fencingToken`` is lower than the stored one,
/// or whose lease is no longer the writer's, so a stalled holder can never move the position behind the
/// holder that took over.
public struct MigrationCheckpoint: Sendable, Codable, Equatable {
    /// The migration's own position, as JSON; decode it with ``cursor(as:)``.
    public var cursor: JSONValue
    /// Items processed when the checkpoint was taken: the progress count the next attempt starts from.
    public var completed: Int
    /// The total known then; `0` when unknown.
    public var total: Int
    /// When it was saved.
    public var savedAt: Date
    /// The fencing token of the lease that saved it.
    public var fencingToken: UInt64?
    /// The host that saved it.
    public var host: String
    /// The process that saved it.
    public var pid: Int32
    /// The run that saved it.
    public var runId: String?
    /// Which attempt of the migration saved it (1 for the first): a crashed attempt records no result,
    /// so its checkpoint is what counts it.
    public var attempt: Int?

    /// Creates a checkpoint.
    ///
    /// - Parameters:
    ///   - cursor: The position, as JSON.
    ///   - completed: Items processed at that position.
    ///   - total: The total known then; `0` when unknown.
    ///   - savedAt: When it was saved.
    ///   - fencingToken: The fencing token of the saving lease.
    ///   - host: The saving host.
    ///   - pid: The saving process.
    ///   - runId: The saving run.
    ///   - attempt: Which attempt saved it.
    public init(
        cursor: JSONValue, completed: Int, total: Int, savedAt: Date = Date(), fencingToken: UInt64?,
        host: String, pid: Int32, runId: String?, attempt: Int? = nil
    ) {
        self.cursor = cursor
        self.completed = completed
        self.total = total
        self.savedAt = savedAt
        self.fencingToken = fencingToken
        self.host = host
        self.pid = pid
        self.runId = runId
        self.attempt = attempt
    }

    /// Decodes the cursor as the type the migration saved.
    ///
    /// - Parameter type: The cursor's type.
    /// - Throws: ``MigrationError`` with code ``MigrationError/Code-swift.struct/invalidCheckpoint`` when the
    ///   stored cursor is not of that type (the migration changed its cursor between attempts).
    public func cursor<Cursor: Decodable>(as type: Cursor.Type) throws(MigrationError) -> Cursor {
        do {
            return try cursor.decode(as: type)
        } catch {
            throw MigrationError(
                .invalidCheckpoint,
                "the saved checkpoint's cursor is not a \(Cursor.self): \(error); reset the migration with "
                    + "`migrations reset` (without --keep-checkpoint) to start it from the beginning")
        }
    }

    /// `41000/200000 at {"id":41000}, saved 2026-12-01T10:04:05Z by api-7f9c pid 4242 (fencing token 7)`.
    public var summary: String {
        let count = total > 0 ? "\(completed)/\(total)" : "\(completed)"
        let cursorText = (try? MigrationJSON.encode(cursor)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        let token = fencingToken.map { " (fencing token \($0))" } ?? ""
        return "\(count) at \(cursorText), saved \(savedAt.formatted(.iso8601)) by \(host) pid \(pid)\(token)"
    }

    /// Encodes the checkpoint in the shared JSON conventions.
    public func jsonData() throws -> Data {
        try MigrationJSON.encode(self)
    }

    /// Decodes a checkpoint written by ``jsonData()``.
    ///
    /// - Parameter data: The stored JSON.
    public static func decode(from data: Data) throws -> MigrationCheckpoint {
        try MigrationJSON.decode(MigrationCheckpoint.self, from: data)
    }
}
