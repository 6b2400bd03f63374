import Foundation
import Logging
import Synchronization

/// Where a running step's checkpoint saves go: the latest position, kept in memory until the runner
/// writes it.
///
/// ``MigrationContext/saveCheckpoint(_:)`` only stores the cursor and the progress count under a lock
/// (no encoding, no round trip), so it can be called after every batch of a hot loop. The attempt's
/// ``CheckpointWriter`` writes the latest position at most once per interval, and once more when the
/// step ends.
final class CheckpointRecorder: Sendable {
    /// A position not yet written.
    struct Pending: Sendable {
        /// The cursor as the save received it; encoded only when written.
        var cursor: any Encodable & Sendable
        var completed: Int
        var total: Int
        var version: UInt64
    }

    private struct State {
        var pending: Pending?
        var version: UInt64 = 0
        var writtenVersion: UInt64 = 0
        var writes = 0
    }

    private let state = Mutex(State())
    private let progress: MigrationProgress

    /// - Parameter progress: The attempt's progress, whose count every save records.
    init(progress: MigrationProgress) {
        self.progress = progress
    }

    /// Keeps `cursor` as the latest position, with the progress count now.
    @inline(__always)
    func save(_ cursor: any Encodable & Sendable) {
        let (completed, total) = progress.counts
        state.withLock { state in
            state.version &+= 1
            state.pending = Pending(cursor: cursor, completed: completed, total: total, version: state.version)
        }
    }

    /// The latest position if it was not written yet.
    func unwritten() -> Pending? {
        state.withLock { state in
            guard let pending = state.pending, pending.version != state.writtenVersion else { return nil }
            return pending
        }
    }

    /// Records that `pending` was written.
    func written(_ pending: Pending) {
        state.withLock { state in
            state.writtenVersion = max(state.writtenVersion, pending.version)
            state.writes += 1
        }
    }

    /// How many checkpoints were written.
    var writes: Int {
        state.withLock { $0.writes }
    }
}
