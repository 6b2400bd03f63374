import Synchronization

/// Why the running work of an attempt (its `validate` or its step) must stop.
enum InterruptionReason: Sendable, Equatable {
    /// The run's timeout passed.
    case timedOut(Duration)
    /// The lease could not be kept: refused renewal, or its local deadline passed without one.
    case leaseLost(String)
    /// The caller cancelled the run (a signal, a graceful shutdown, a caller's own timeout).
    case cancelled
    /// An operator asked to pause or cancel the migration.
    case controlled(MigrationControl)
}

/// A one-shot signal that stops the work of an attempt: the supervisor raises it at the timeout or on
/// a lost lease, the caller's cancellation raises it too, and the running phase waits on it beside the work.
///
/// The first reason wins; later ones are ignored. Waiting is cancellable, and a waiter never misses a
/// signal raised before or while it starts waiting: the reason and the waiters live under one lock.
final class AttemptInterruption: Sendable {
    private struct State {
        var reason: InterruptionReason?
        var waiters: [UInt64: CheckedContinuation<InterruptionReason?, Never>] = [:]
        var cancelledWaiters: Set<UInt64> = []
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    /// The reason, once raised.
    var reason: InterruptionReason? {
        state.withLock { $0.reason }
    }

    /// Raises the signal with `reason` unless it was raised already, and wakes every waiter.
    func interrupt(_ reason: InterruptionReason) {
        let waiters: [CheckedContinuation<InterruptionReason?, Never>] = state.withLock { state in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// Waits until the signal is raised and returns its reason, or returns `nil` when the waiting task is
    /// cancelled first.
    func wait() async -> InterruptionReason? {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<InterruptionReason?, Never>) in
                let immediate: InterruptionReason?? = state.withLock { state in
                    let cancelled = state.cancelledWaiters.remove(id) != nil
                    if let reason = state.reason { return .some(reason) }
                    if cancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter: CheckedContinuation<InterruptionReason?, Never>? = state.withLock { state in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                if state.reason == nil { state.cancelledWaiters.insert(id) }
                return nil
            }
            waiter?.resume(returning: nil)
        }
    }
}
