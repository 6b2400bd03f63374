#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps `SIGPIPE` from killing the process when hiredis writes to a socket the server has closed.
///
/// hiredis writes with plain `write(2)`, which raises `SIGPIPE` on a broken connection, and the default
/// action of that signal ends the process. The first connection therefore sets `SIGPIPE` to be ignored,
/// so the write fails with `EPIPE` instead, but only if the process still has the default action: a
/// handler installed by the application is put back untouched.
enum BrokenPipeSignal {
    private static let ignoreOnce: Void = {
        let previous = signal(SIGPIPE, SIG_IGN)
        if let previous, !isIgnore(previous) {
            // The application had its own handler; respect it.
            _ = signal(SIGPIPE, previous)
        }
    }()

    /// Ignores `SIGPIPE` if it still has its default action. Cheap after the first call.
    static func ignore() {
        ignoreOnce
    }

    private static func isIgnore(_ handler: @convention(c) (Int32) -> Void) -> Bool {
        unsafeBitCast(handler, to: Int.self) == 1
    }
}
