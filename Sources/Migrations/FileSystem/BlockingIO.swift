import Dispatch

/// Runs blocking file-system calls on a dispatch queue, so they never hold a thread of the cooperative pool.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "migrations.file-io", attributes: .concurrent)

    /// Runs `body` on the file queue and returns what it returns.
    static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: body)) }
        }
    }
}
