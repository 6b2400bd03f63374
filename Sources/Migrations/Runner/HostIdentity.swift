import Foundation

/// The host name and process id recorded with every result and lease.
public struct HostIdentity: Sendable, Codable, Equatable {
    /// The host name.
    public var host: String
    /// The process id.
    public var pid: Int32

    /// Creates an identity.
    public init(host: String, pid: Int32) {
        self.host = host
        self.pid = pid
    }

    /// This process on this host.
    public static var current: HostIdentity {
        HostIdentity(host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier)
    }
}
