import Foundation

extension MigrationContext {
    /// Iterates batches from the saved checkpoint (or the beginning), processing each, then counting it,
    /// saving its cursor and applying the throttle.
    ///
    /// ```swift
    /// try await context.iterate(from: nil as Int64?) { after in
    ///     let rows = try await db.users(after: after ?? 0, limit: 1_000)
    ///     return rows.isEmpty ? nil : MigrationBatch(items: rows, cursor: rows.last!.id)
    /// } process: { rows in
    ///     if !context.dryRun { try await db.backfill(rows, fencingToken: context.fencingToken) }
    /// }
    /// ```
    ///
    /// Between batches it checks cancellation (a timeout, a lost lease, a shutdown all arrive that way),
    /// adds the batch's size to ``progress``, calls ``saveCheckpoint(_:)`` with the batch's cursor, waits
    /// while a ``throttle`` condition holds and paces to its rate.
    ///
    /// - Parameters:
    ///   - start: Where to begin when there is no checkpoint; `nil` for the beginning.
    ///   - fetch: Returns the batch after a cursor (`nil`: the beginning), or `nil` when there is none.
    ///   - process: Processes one batch's items.
    /// - Throws: What `fetch` or `process` throw, `CancellationError`, or ``MigrationError`` when the saved
    ///   cursor is not a `Cursor`.
    public func iterate<Item, Cursor: Codable & Sendable>(
        from start: Cursor? = nil,
        fetch: (Cursor?) async throws -> MigrationBatch<Item, Cursor>?,
        process: ([Item]) async throws -> Void
    ) async throws {
        var cursor = try resumeCursor(as: Cursor.self) ?? start
        var pacer = ThrottlePacer(context: self)
        while true {
            try Task.checkCancellation()
            try await pacer.waitBeforeBatch()
            guard let batch = try await fetch(cursor) else { return }
            try await process(batch.items)
            progress.increment(by: batch.items.count)
            pacer.processed(batch.items.count)
            cursor = batch.cursor
            saveCheckpoint(batch.cursor)
        }
    }

    /// Iterates an asynchronous sequence in batches, resuming after the elements a previous attempt
    /// processed (its checkpoint's cursor is the count of elements consumed).
    ///
    /// The sequence must yield the same elements in the same order on every attempt.
    ///
    /// - Parameters:
    ///   - sequence: The elements.
    ///   - batchSize: How many elements each `process` call receives (the last may receive fewer).
    ///   - process: Processes one batch.
    public func iterate<Elements: AsyncSequence>(
        _ sequence: Elements,
        batchSize: Int,
        process: ([Elements.Element]) async throws -> Void
    ) async throws {
        let size = max(1, batchSize)
        let skip = try resumeCursor(as: Int.self) ?? 0
        var consumed = 0
        var batch: [Elements.Element] = []
        batch.reserveCapacity(size)
        var pacer = ThrottlePacer(context: self)
        var iterator = sequence.makeAsyncIterator()
        while consumed < skip, try await iterator.next() != nil { consumed += 1 }
        while true {
            try Task.checkCancellation()
            try await pacer.waitBeforeBatch()
            batch.removeAll(keepingCapacity: true)
            while batch.count < size, let element = try await iterator.next() { batch.append(element) }
            guard !batch.isEmpty else { return }
            try await process(batch)
            consumed += batch.count
            progress.increment(by: batch.count)
            pacer.processed(batch.count)
            saveCheckpoint(consumed)
            if batch.count < size { return }
        }
    }

    /// Iterates the lines of a text file (a CSV export, a log) in batches, resuming at the byte offset a
    /// previous attempt reached. Lines end with `\n` (a `\r` before it is dropped); the last line need not.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - batchSize: How many lines each `process` call receives.
    ///   - skippingHeader: Whether the first line (a CSV header) is skipped; it is never counted.
    ///   - process: Processes one batch of lines.
    /// - Throws: ``MigrationError`` when the file cannot be read, what `process` throws, `CancellationError`.
    public func iterateLines(
        ofFile path: String,
        batchSize: Int,
        skippingHeader: Bool = false,
        process: ([String]) async throws -> Void
    ) async throws {
        let size = max(1, batchSize)
        let reader = try LineFileReader(path: path)
        defer { reader.close() }
        var position = try resumeCursor(as: LineFileCursor.self) ?? LineFileCursor(offset: 0, line: 0)
        if position.offset == 0 && skippingHeader {
            if let header = try await reader.lines(from: 0, count: 1) { position.offset = header.next }
        }
        var pacer = ThrottlePacer(context: self)
        while true {
            try Task.checkCancellation()
            try await pacer.waitBeforeBatch()
            guard let chunk = try await reader.lines(from: position.offset, count: size) else { return }
            try await process(chunk.lines)
            position = LineFileCursor(offset: chunk.next, line: position.line + chunk.lines.count)
            progress.increment(by: chunk.lines.count)
            pacer.processed(chunk.lines.count)
            saveCheckpoint(position)
        }
    }
}

/// The checkpoint cursor of ``MigrationContext/iterateLines(ofFile:batchSize:skippingHeader:process:)``:
/// the byte offset of the next line, and how many lines were processed before it.
public struct LineFileCursor: Codable, Sendable, Equatable {
    /// The byte offset of the next unprocessed line.
    public var offset: UInt64
    /// How many lines (after any header) were processed before it.
    public var line: Int

    /// Creates a cursor.
    ///
    /// - Parameters:
    ///   - offset: The byte offset of the next line.
    ///   - line: The lines processed before it.
    public init(offset: UInt64, line: Int) {
        self.offset = offset
        self.line = line
    }
}
