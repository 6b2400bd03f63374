#if canImport(Glibc)
    import Glibc
#endif

/// A TCP port on 127.0.0.1 that was free a moment ago, for a child process to listen on.
///
/// It is picked at random below the kernel's ephemeral range (32768–60999 by default), then bound and
/// closed to check it is free: a port the kernel hands out for `bind` to port 0 is one it may also give,
/// a moment later, to any outgoing connection of the test run (a Redis client, an HTTP request), and the
/// child then fails with "Address already in use".
func loopbackFreePort() throws -> Int {
    for _ in 0..<200 {
        let port = Int.random(in: 20_000..<32_768)
        if isFree(port) { return port }
    }
    struct NoFreePort: Error, CustomStringConvertible {
        var description: String { "no free loopback port in 20000–32767 after 200 tries" }
    }
    throw NoFreePort()
}

/// Whether 127.0.0.1:`port` can be bound now.
private func isFree(_ port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
