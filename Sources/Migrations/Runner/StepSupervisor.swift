import Logging

/// The one task that runs beside a migration's step: it renews the lease, logs and publishes progress,
/// and enforces the timeout, sleeping until whichever is due next.
///
/// One companion task instead of one per concern keeps a short step cheap: a no-op migration starts
/// and cancels a single sleeping task.
struct StepSupervisor {
    private let progress: MigrationProgress
    private let progressInterval: Duration
    private let timeoutDeadline: ContinuousClock.Instant?
    private let timeout: Duration?
    private let lease: LeaseKeeping?
    private let logger: Logger

    private var nextProgress: ContinuousClock.Instant
    private var lastLoggedCount = 0
    private var leaseExpiry: ContinuousClock.Instant?
    private var nextRenewal: ContinuousClock.Instant?

    /// - Parameters:
    ///   - progress: The step's progress, logged and published every `progressInterval`.
    ///   - timeout: The step's time limit, if any.
    ///   - lease: The held lease and when its acquisition started; renewed every third of its TTL. Its
    ///     local deadline is acquisition start + TTL − 10 % drift, pushed back by each renewal.
    init(
        progress: MigrationProgress,
        progressInterval: Duration,
        timeout: Duration?,
        lease: LeaseKeeping?,
        logger: Logger
    ) {
        let now = ContinuousClock.now
        self.progress = progress
        self.progressInterval = progressInterval
        self.timeout = timeout
        self.timeoutDeadline = timeout.map { now + $0 }
        self.lease = lease
        self.logger = logger
        self.nextProgress = now + progressInterval
        if let lease, let timeToLive = lease.lease.timeToLive {
            leaseExpiry = lease.acquiredAt + timeToLive - timeToLive / 10
            nextRenewal = lease.acquiredAt + timeToLive / 3
        }
    }

    /// Runs until cancelled (the step finished: `nil`), the timeout passes, or the lease is lost.
    mutating func run() async -> StepEnding? {
        while !Task.isCancelled {
            let wake = [timeoutDeadline, nextProgress, nextRenewal, leaseExpiry].compactMap { $0 }.min()!
            do {
                try await Task.sleep(until: wake, clock: .continuous)
            } catch {
                return nil
            }
            let now = ContinuousClock.now
            if let timeoutDeadline, let timeout, now >= timeoutDeadline {
                return .timedOut(timeout)
            }
            if let ending = await keepLease(now: now) {
                return ending
            }
            if now >= nextProgress {
                await reportProgress()
                nextProgress = ContinuousClock.now + progressInterval
            }
        }
        return nil
    }

    /// Renews the lease when due; a refused renewal, or a local deadline passed without one, loses it.
    /// A renewal that fails for another reason (Redis unreachable) is retried every 250 ms until then.
    private mutating func keepLease(now: ContinuousClock.Instant) async -> StepEnding? {
        guard let lease, let timeToLive = lease.lease.timeToLive, let expiry = leaseExpiry,
            let renewal = nextRenewal
        else { return nil }
        if now >= expiry {
            return .leaseLost("it could not be renewed before it expired")
        }
        guard now >= renewal else { return nil }
        do {
            guard try await lease.lease.renew() else {
                return .leaseLost("another process took it over or an operator cleared it")
            }
            leaseExpiry = now + timeToLive - timeToLive / 10
            nextRenewal = now + timeToLive / 3
        } catch {
            if Task.isCancelled { return nil }
            logger.warning("could not renew the lease; retrying", metadata: ["error": "\(error)"])
            nextRenewal = ContinuousClock.now + min(timeToLive / 3, .milliseconds(250))
        }
        return nil
    }

    /// Logs the progress when it moved, and publishes it where the lease can.
    private mutating func reportProgress() async {
        let snapshot = progress.snapshot()
        if snapshot.completed != lastLoggedCount {
            logger.info("progress \(snapshot.summary)")
            lastLoggedCount = snapshot.completed
        }
        await lease?.lease.publish(progress: snapshot)
    }
}
