import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The default of `--triggered-by`: the user running the command.
enum OperatingSystemUser {
    /// `USER`, else `LOGNAME`, else the password database's name for the effective user, else `unknown`.
    static var name: String {
        let environment = ProcessInfo.processInfo.environment
        if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "unknown"
    }
}
