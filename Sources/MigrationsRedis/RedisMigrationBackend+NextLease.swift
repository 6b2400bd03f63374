public import Migrations

extension RedisMigrationBackend {
    /// Records the completion and tries to take the next migration's lease in one script: one round trip
    /// between two migrations of a run, where the store and the provider alone would need two.
    ///
    /// Every check stays as it is: the completion is fenced by `fence` exactly as
    /// ``RedisStateStore/markCompleted(_:fence:)`` is, and `next` is taken only after it, as
    /// ``RedisLeaseProvider/acquire(_:)`` takes a lease: refused when completed, held, or its keys hold
    /// foreign data (left for `acquire` to report). When the reply is lost, the completion is confirmed
    /// or recorded again as after any lost reply, and the next lease is read back: it is ours exactly
    /// when it holds our token; otherwise the answer is that `next` was not tried.
    ///
    /// - Parameters:
    ///   - result: The completed result.
    ///   - fence: The completed migration's lease.
    ///   - next: The lease request of the migration the run tries next.
    /// - Returns: The completion's disposition, and the acquisition of `next` when it was tried.
    public func markCompleted(_ result: MigrationResult, fence: LeaseFence, acquiringNext next: LeaseRequest)
        async throws -> CompletionAndNextLease
    {
        let call = try leaseProvider.acquireCall(next)
        let (disposition, reply) = try await stateStore.markCompleted(
            result, fence: fence, thenAcquiring: (call.keys, call.arguments))
        var acquisition: LeaseAcquisition?
        switch reply {
        case .success(let parts):
            // No parts: the next migration's keys hold foreign data, and it was not tried.
            acquisition =
                parts.isEmpty ? nil : try? leaseProvider.acquisition(from: parts, for: next, token: call.token)
        case .failure(let lost):
            // Only a lease holding our token is an answer; anything else is left to `acquire`, which reads
            // the holder and its time to live.
            let resolved = try? await leaseProvider.resolveAmbiguousAcquire(
                name: next.name, token: call.token, cause: lost)
            if case .acquired? = resolved { acquisition = resolved }
        }
        return CompletionAndNextLease(disposition: disposition, next: acquisition)
    }
}
