import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Leases as `flock(2)` locks on files in a directory: processes on one machine never run the same
/// migration at once, and a process that dies releases its locks with it.
///
/// For migration `name`, the lock is `<directory>/<stem>.lock` (see the file store for stems). While
/// held, the file holds a JSON ``LeaseHolder`` and the owner token, for `status`; it is emptied on
/// release. Every acquisition increments the fencing token kept in `<stem>.fence`.
///
/// Locks are advisory and local: they do not work across machines, nor reliably on network file
/// systems. Use the Redis lease for a fleet.
public final class FileLeaseProvider: MigrationLeaseProvider {
    /// The directory holding the lock files.
    public let directory: String

    /// Creates a provider, creating the directory when missing.
    ///
    /// - Parameter directory: The directory for lock files, `.migrations` by default.
    /// - Throws: ``MigrationError`` when the directory cannot be created.
    public init(directory: String = ".migrations") throws(MigrationError) {
        self.directory = directory
        try AtomicFile.createDirectory(directory)
    }

    /// Tries once, without blocking, to lock the migration's lock file (on the file-system queue, off
    /// the cooperative pool).
    public func acquire(_ request: LeaseRequest) async throws -> LeaseAcquisition {
        try await BlockingIO.run { [self] in try acquireNow(request) }
    }

    private func acquireNow(_ request: LeaseRequest) throws -> LeaseAcquisition {
        let stem = MigrationFileName.stem(for: request.name)
        let lockPath = path(stem, "lock")
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MigrationError(
                .lease, "could not open the lock file \(lockPath): \(String(cString: strerror(errno)))",
                migration: request.name)
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.readRecord(descriptor)?.holder
            close(descriptor)
            return .heldBy(holder)
        }
        do {
            let fencingToken = try nextFencingToken(stem)
            var holder = request.holder
            holder.fencingToken = fencingToken
            let record = FileLeaseRecord(token: LeaseToken.random(), holder: holder)
            try Self.writeRecord(record, to: descriptor)
            let lease = FileLease(
                name: request.name,
                fence: LeaseFence(token: record.token, fencingToken: fencingToken),
                descriptor: descriptor
            )
            return .acquired(lease, completionChecked: false)
        } catch {
            flock(descriptor, LOCK_UN)
            close(descriptor)
            throw error
        }
    }

    /// Polls the lock every 50 ms until it is free or `timeout` passes.
    public func waitForRelease(of name: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        let stem = MigrationFileName.stem(for: name)
        while ContinuousClock.now < deadline {
            if Self.currentHolder(atPath: path(stem, "lock")) == nil { return }
            try await Task.sleep(for: min(.milliseconds(50), deadline - .now))
        }
    }

    /// The holder of a migration's lock, or `nil` when it is free.
    public func holder(of name: String) -> LeaseHolder? {
        Self.currentHolder(atPath: path(MigrationFileName.stem(for: name), "lock"))
    }

    // MARK: - Lock file contents

    static func currentHolder(atPath lockPath: String) -> LeaseHolder? {
        let descriptor = open(lockPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return readRecord(descriptor)?.holder
    }

    private static func readRecord(_ descriptor: Int32) -> FileLeaseRecord? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return try? MigrationJSON.decode(FileLeaseRecord.self, from: Data(buffer[0..<count]))
    }

    private static func writeRecord(_ record: FileLeaseRecord, to descriptor: Int32) throws {
        let data = try MigrationJSON.encode(record)
        guard ftruncate(descriptor, 0) == 0 else { throw AtomicFile.failure("truncate", "the lock file") }
        let written = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == data.count else { throw AtomicFile.failure("write", "the lock file") }
    }

    private func nextFencingToken(_ stem: String) throws -> UInt64 {
        let fencePath = path(stem, "fence")
        let current = try AtomicFile.read(fencePath).flatMap { UInt64(String(decoding: $0, as: UTF8.self)) } ?? 0
        let next = current + 1
        try AtomicFile.replace(fencePath, with: Data(String(next).utf8))
        return next
    }

    private func path(_ stem: String, _ suffix: String) -> String {
        "\(directory)/\(stem).\(suffix)"
    }
}

/// What a held lock file contains.
struct FileLeaseRecord: Codable {
    var token: String
    var holder: LeaseHolder
}

/// A held `flock` on a lock file; released by closing the descriptor.
private final class FileLease: MigrationLease {
    let name: String
    let fence: LeaseFence
    private let descriptor: Mutex<Int32?>

    init(name: String, fence: LeaseFence, descriptor: Int32) {
        self.name = name
        self.fence = fence
        self.descriptor = Mutex(descriptor)
    }

    var timeToLive: Duration? { nil }

    func renew() async throws -> Bool {
        descriptor.withLock { $0 != nil }
    }

    func release() async throws {
        descriptor.withLock { descriptor in
            guard let open = descriptor else { return }
            ftruncate(open, 0)
            flock(open, LOCK_UN)
            close(open)
            descriptor = nil
        }
    }

    deinit {
        descriptor.withLock { descriptor in
            if let open = descriptor { close(open) }
        }
    }
}
