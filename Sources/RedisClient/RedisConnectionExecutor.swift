import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The thread one ``RedisConnection`` owns, as a `TaskExecutor`.
///
/// Every blocking hiredis call of the connection runs on this thread, never on Swift's cooperative pool.
/// A call does not hand a closure to the thread and wait for an answer: the calling task itself moves to
/// the thread (with `withTaskExecutorPreference`), runs the call there, and moves back.
///
/// A caller that makes many calls in a row can stay on the thread for all of them, so no call moves it at
/// all:
///
/// ```swift
/// try await withTaskExecutorPreference(connection.executor) {
///     for key in keys {
///         try await connection.send(["GET", key])
///     }
/// }
/// ```
///
/// Code that runs there blocks the connection for every other task, so keep such a scope to the calls
/// themselves.
///
/// After the connection is closed the thread ends, and work that still prefers this executor runs on the
/// global concurrent executor instead, so nothing waits for a thread that is gone.
public final class RedisConnectionExecutor: TaskExecutor {
    private struct State {
        var jobs: [UnownedJob] = []
        var isStopped = false
        /// The last work to run on the thread before it ends (disconnecting), set by ``stop(after:)``.
        var finalWork: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    /// The identity of the thread, once it runs; 0 before.
    private let threadIdentity = Atomic<UInt>(0)

    /// Starts the thread.
    init() {
        let retained = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { context in
                let executor = Unmanaged<RedisConnectionExecutor>.fromOpaque(context!).takeRetainedValue()
                executor.runLoop()
                return nil
            }, retained.toOpaque())
        guard status == 0 else {
            fatalError("could not start the thread of a Redis connection: pthread_create returned \(status)")
        }
        pthread_detach(thread)
    }

    /// Queues a job; after ``stop(after:)``, hands it to the global concurrent executor.
    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let accepted = state.withLock { state in
            guard !state.isStopped else { return false }
            state.jobs.append(unowned)
            return true
        }
        if accepted {
            wakeUp.signal()
        } else {
            globalConcurrentExecutor.enqueue(ExecutorJob(unowned))
        }
    }

    /// Whether the calling code runs on this executor's thread (for assertions and tests).
    public var isCurrent: Bool {
        threadIdentity.load(ordering: .relaxed) == Self.currentThreadIdentity()
    }

    /// Ends the thread once the jobs already queued and then `finalWork` have run.
    func stop(after finalWork: @escaping @Sendable () -> Void) {
        state.withLock { state in
            guard !state.isStopped else { return }
            state.isStopped = true
            state.finalWork = finalWork
        }
        wakeUp.signal()
    }

    private func runLoop() {
        threadIdentity.store(Self.currentThreadIdentity(), ordering: .relaxed)
        var batch: [UnownedJob] = []
        while true {
            wakeUp.wait()
            let finalWork = state.withLock { state -> (@Sendable () -> Void)? in
                swap(&batch, &state.jobs)
                return state.isStopped ? state.finalWork : nil
            }
            for job in batch {
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
            batch.removeAll(keepingCapacity: true)
            if let finalWork {
                finalWork()
                threadIdentity.store(0, ordering: .relaxed)
                return
            }
        }
    }

    private static func currentThreadIdentity() -> UInt {
        #if canImport(Darwin)
            UInt(bitPattern: pthread_self())
        #else
            UInt(pthread_self())
        #endif
    }
}
