import Logging

/// Writes a running step's checkpoint saves to the store: the latest one at most once per interval
/// while the step runs, and once more when it ends (``writeLatest()``), only while the lease is held.
///
/// A save the store refuses (another holder took over) marks the lease lost and interrupts the attempt,
/// as a refused renewal does. A save that fails for another reason (Redis unreachable) is kept and
/// tried again at the next interval.
struct CheckpointWriter: Sendable {
    let name: String
    let recorder: CheckpointRecorder
    let store: any MigrationStateStore
    let lease: KeptLease
    let host: HostIdentity
    let runId: String
    let attempt: Int
    let clock: RunnerClock
    let interval: Duration
    let interruption: AttemptInterruption
    let logger: Logger
    let instruments: AttemptInstruments

    /// Writes the latest unwritten save every interval until the task is cancelled, while the lease's
    /// local deadline holds.
    func run() async {
        while true {
            do { try await clock.sleep(until: clock.now + interval) } catch { return }
            if lease.isHeld(at: clock.now) { await writeLatest() }
        }
    }

    /// Writes the latest save if it was not written: the last write when the step ends. It is sent even
    /// when the lease was declared lost (a stalled holder, a refused renewal), since only the fenced
    /// write can tell whether the lease is still ours; if it is not, the store refuses it.
    func writeLatest() async {
        guard let pending = recorder.unwritten() else { return }
        let checkpoint: MigrationCheckpoint
        do {
            checkpoint = MigrationCheckpoint(
                cursor: try JSONValue(encoding: pending.cursor), completed: pending.completed, total: pending.total,
                fencingToken: lease.lease.fence.fencingToken, host: host.host, pid: host.pid, runId: runId,
                attempt: attempt)
        } catch {
            recorder.written(pending)
            logger.error("cannot encode the checkpoint's cursor; it is not saved", metadata: ["error": "\(error)"])
            return
        }
        do {
            try await store.saveCheckpoint(checkpoint, of: name, fence: lease.lease.fence)
            recorder.written(pending)
            instruments.checkpointWritten()
        } catch let error as MigrationError where error.code == .leaseLost {
            lease.markLost()
            let reason = error.message.hasPrefix("lease lost: ") ? String(error.message.dropFirst(12)) : error.message
            interruption.interrupt(.leaseLost(reason))
            logger.warning("\(error.message)")
        } catch {
            logger.warning(
                "could not write the checkpoint; it is tried again at the next interval",
                metadata: ["error": "\(error)"])
        }
    }
}
