import Logging

/// The one task that runs beside an attempt from the moment its lease is acquired until its outcome is
/// recorded: it renews the lease, logs and publishes progress, raises the timeout, and passes on an
/// operator's pause or cancel (read with the renewal where the lease can, else polled from the store).
///
/// It never cancels the work itself: it raises the attempt's ``AttemptInterruption``, and the running
/// phase cancels its work. It keeps renewing after that, so a step that ignores cancellation keeps its
/// lease until it really returns; it stops only when the attempt ends (its task is cancelled) or the
/// lease is lost.
///
/// One companion task instead of one per concern keeps a short attempt cheap: a no-op migration starts
/// and cancels a single sleeping task, which sleeps on the runner's ``SharedTimer`` rather than arming a
/// timer of its own.
struct AttemptSupervisor {
    private let clock: RunnerClock
    private let timer: SharedTimer
    private let progress: MigrationProgress
    private let progressInterval: Duration
    private let timeout: Duration?
    private let timeoutDeadline: Duration?
    private let lease: KeptLease?
    private let interruption: AttemptInterruption
    private let logger: Logger
    private let control: ControlPoll?
    private let instruments: AttemptInstruments

    private var nextProgress: Duration
    private var nextRenewal: Duration?
    private var timeoutRaised = false
    private var lastLoggedCount = 0
    private var nextControlPoll: Duration?

    /// Where the supervisor asks for an operator's request when the lease does not deliver it.
    struct ControlPoll: Sendable {
        var interval: Duration
        var read: @Sendable () async throws -> MigrationControl?
    }

    /// - Parameters:
    ///   - clock: The runner's clock.
    ///   - timer: The runner's timer, which the supervisor sleeps on between its duties.
    ///   - progress: The attempt's progress, logged and published every `progressInterval`.
    ///   - timeout: The time limit of `validate` and the step together, counted from now.
    ///   - lease: The held lease, renewed every third of its TTL from ``KeptLease/acquiredAt``; `nil` for a
    ///     dry run.
    ///   - interruption: What the supervisor raises at the timeout or when the lease is lost.
    ///   - logger: The migration's logger.
    ///   - control: How to poll for an operator's request when the lease does not deliver it with renewals.
    ///   - instruments: Where renewal failures and progress are counted.
    init(
        clock: RunnerClock,
        timer: SharedTimer,
        progress: MigrationProgress,
        progressInterval: Duration,
        timeout: Duration?,
        lease: KeptLease?,
        interruption: AttemptInterruption,
        logger: Logger,
        control: ControlPoll?,
        instruments: AttemptInstruments
    ) {
        let now = clock.now
        self.clock = clock
        self.timer = timer
        self.progress = progress
        self.progressInterval = progressInterval
        self.timeout = timeout
        self.timeoutDeadline = timeout.map { now + $0 }
        self.lease = lease
        self.instruments = instruments
        self.interruption = interruption
        self.logger = logger
        self.nextProgress = now + progressInterval
        self.nextRenewal = lease.flatMap { lease in lease.lease.timeToLive.map { lease.acquiredAt + $0 / 3 } }
        let polled = lease.map { !$0.lease.deliversControl || $0.lease.timeToLive == nil } ?? false
        self.control = polled ? control : nil
        self.nextControlPoll = self.control.map { now + $0.interval }
    }

    /// Supervises until its task is cancelled (the attempt ended) or the lease is lost.
    mutating func run() async {
        while !Task.isCancelled {
            let due = [
                timeoutRaised ? nil : timeoutDeadline, nextProgress, nextRenewal, lease?.deadline, nextControlPoll,
            ]
            do {
                try await timer.sleep(until: due.compactMap { $0 }.min() ?? nextProgress)
            } catch {
                return
            }
            let now = clock.now
            if let timeout, let timeoutDeadline, !timeoutRaised, now >= timeoutDeadline {
                timeoutRaised = true
                interruption.interrupt(.timedOut(timeout))
            }
            guard await keepLease(now: now) else { return }
            if let poll = control, let due = nextControlPoll, now >= due {
                if let request = try? await poll.read() { raise(request) }
                nextControlPoll = clock.now + poll.interval
            }
            if now >= nextProgress {
                await reportProgress()
                nextProgress = clock.now + progressInterval
            }
        }
    }

    // MARK: - The lease

    /// Renews the lease when due. Returns `false` once the lease is lost: renewal refused, or its local
    /// deadline passed without a successful renewal (a renewal still in flight at the deadline does not
    /// count). A renewal that fails for another reason (Redis unreachable) is retried every 250 ms.
    private mutating func keepLease(now: Duration) async -> Bool {
        guard let lease, let timeToLive = lease.lease.timeToLive, let renewal = nextRenewal else { return true }
        guard lease.isHeld(at: now) else {
            lose(lease, "it could not be renewed before it expired")
            return false
        }
        guard now >= renewal else { return true }
        let sentAt = clock.now
        switch await renewWatchingDeadline(lease) {
        case .renewed(let request):
            lease.renewed(sentAt: sentAt)
            if let request { raise(request) }
            nextRenewal = sentAt + timeToLive / 3
            return true
        case .refused:
            lose(lease, "another process took it over or an operator cleared it")
            return false
        case .expired:
            return false
        case .failed(let error):
            guard lease.isHeld(at: clock.now) else {
                lose(lease, "it could not be renewed before it expired (\(error))")
                return false
            }
            instruments.renewalFailed()
            if !Task.isCancelled {
                logger.warning("could not renew the lease; retrying", metadata: ["error": "\(error)"])
            }
            nextRenewal = clock.now + min(timeToLive / 3, .milliseconds(250))
            return true
        }
    }

    private enum Renewal: Sendable {
        case renewed(MigrationControl?)
        case refused
        case expired
        case failed(any Error)
    }

    /// Renews once; if the local deadline passes while the renewal is in flight (a stalled server), the
    /// lease is declared lost at the deadline, not when the renewal finally answers.
    private func renewWatchingDeadline(_ lease: KeptLease) async -> Renewal {
        let clock = self.clock
        let interruption = self.interruption
        return await withTaskGroup(of: Renewal?.self) { group in
            group.addTask {
                do {
                    let renewal = try await lease.lease.renewReadingControl()
                    return renewal.held ? .renewed(renewal.control) : .refused
                } catch {
                    return .failed(error)
                }
            }
            if let deadline = lease.deadline {
                group.addTask {
                    do { try await clock.sleep(until: deadline) } catch { return nil }
                    lease.markLost()
                    interruption.interrupt(.leaseLost("it could not be renewed before it expired"))
                    return .expired
                }
            }
            var outcome: Renewal?
            while let next = await group.next() {
                guard let next else { continue }
                if outcome == nil { outcome = next }
                group.cancelAll()
            }
            return outcome ?? .expired
        }
    }

    /// Passes an operator's request on to the running work, once.
    private func raise(_ request: MigrationControl) {
        guard interruption.reason == nil else { return }
        logger.notice("\(request.action == .pause ? "pausing" : "cancelling"): \(request.summary)")
        interruption.interrupt(.controlled(request))
    }

    private func lose(_ lease: KeptLease, _ reason: String) {
        lease.markLost()
        interruption.interrupt(.leaseLost(reason))
    }

    // MARK: - Progress

    /// Logs the progress when it moved, and publishes it where the lease can while it is held.
    private mutating func reportProgress() async {
        let snapshot = progress.snapshot()
        instruments.progressed(snapshot)
        if snapshot.completed != lastLoggedCount {
            logger.info("progress \(snapshot.summary)")
            lastLoggedCount = snapshot.completed
        }
        if let lease, lease.isHeld(at: clock.now) {
            await lease.lease.publish(progress: snapshot)
        }
    }
}
