import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP listener that never reads or writes a byte.
///
/// With `acceptQueueFull`, it listens with a backlog of 0 and fills its accept queue with connections of
/// its own, so the kernel drops every further handshake: a blackholed port on loopback.
final class SilentListener: Sendable {
    let port: Int
    private let descriptor: Int32
    private let fillers: [Int32]
    private let closed = Atomic<Bool>(false)

    /// Listens on a free port of 127.0.0.1.
    init(acceptQueueFull: Bool) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound, listen(descriptor, acceptQueueFull ? 0 : 16) == 0 else {
            Glibc.close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
        var fillers: [Int32] = []
        if acceptQueueFull {
            // A backlog of 0 still queues one connection; two more make sure the queue is full.
            for _ in 0..<3 {
                let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                var target = address
                _ = withUnsafeMutablePointer(to: &target) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                fillers.append(filler)
            }
            usleep(50_000)
        }
        self.fillers = fillers
    }

    /// Closes the listener and returns its port, now closed.
    func closedPort() -> Int {
        close()
        return port
    }

    /// Closes the listener and the connections filling its queue. Idempotent.
    func close() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        for filler in fillers { Glibc.close(filler) }
        Glibc.close(descriptor)
    }
}
