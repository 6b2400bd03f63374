#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A blocking `flock(2)` held around a short critical section that processes on one machine take turns
/// at. Call it on ``BlockingIO``'s queue, never on the cooperative pool.
enum FileLock {
    /// Runs `body` holding an exclusive lock on the file at `path` (created when missing).
    ///
    /// - Parameters:
    ///   - path: The lock file.
    ///   - migration: The migration, for the error.
    ///   - body: The critical section.
    static func exclusively<Value>(
        _ path: String, migration: String, _ body: () throws -> Value
    ) throws -> Value {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MigrationError(
                .stateStore, "could not open the lock file \(path): \(String(cString: strerror(errno)))",
                migration: migration)
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw MigrationError(
                    .stateStore, "could not lock \(path): \(String(cString: strerror(errno)))", migration: migration)
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
