import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small, synchronous file operations with crash-safe writes.
enum AtomicFile {
    /// Writes `data` to `path` atomically: a temporary file in the same directory, `fsync`, `rename`.
    ///
    /// A reader sees the old content or the new, never a half-written file, even if the process dies.
    static func replace(_ path: String, with data: Data) throws(MigrationError) {
        let temporary = path + ".tmp-" + LeaseToken.random().prefix(12)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("create", temporary) }
        var written = 0
        let ok = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += result
            }
            return fsync(descriptor) == 0
        }
        let writeError = failure("write", temporary)
        close(descriptor)
        guard ok else {
            unlink(temporary)
            throw writeError
        }
        guard rename(temporary, path) == 0 else {
            let renameError = failure("rename into place", path)
            unlink(temporary)
            throw renameError
        }
    }

    /// Reads a whole file, or returns `nil` when it does not exist.
    static func read(_ path: String) throws(MigrationError) -> Data? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            if !FileManager.default.fileExists(atPath: path) { return nil }
            throw MigrationError(.stateStore, "could not read \(path): \(error.localizedDescription)")
        }
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) throws(MigrationError) {
        if unlink(path) != 0 && errno != ENOENT { throw failure("remove", path) }
    }

    /// Creates a directory and its parents when missing.
    static func createDirectory(_ path: String) throws(MigrationError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw MigrationError(
                .invalidConfiguration,
                "could not create the migrations directory \(path): \(error.localizedDescription)"
            )
        }
    }

    static func failure(_ action: String, _ path: String) -> MigrationError {
        MigrationError(.stateStore, "could not \(action) \(path): \(String(cString: strerror(errno)))")
    }
}
