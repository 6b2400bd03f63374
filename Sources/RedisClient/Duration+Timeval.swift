#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Duration {
    /// The duration as a `timeval` for hiredis, rounded up to whole microseconds and at least 1 ms.
    ///
    /// hiredis reads a zero `timeval` as "no timeout", so a zero or negative duration would silently
    /// mean "wait forever"; the minimum keeps it a (very short) timeout instead.
    var hiredisTimeval: timeval {
        let minimum = Duration.milliseconds(1)
        let (seconds, attoseconds) = max(self, minimum).components
        let attosecondsPerMicrosecond: Int64 = 1_000_000_000_000
        var microseconds = (attoseconds + attosecondsPerMicrosecond - 1) / attosecondsPerMicrosecond
        var wholeSeconds = seconds
        if microseconds >= 1_000_000 {
            wholeSeconds += 1
            microseconds -= 1_000_000
        }
        return timeval(tv_sec: .init(wholeSeconds), tv_usec: .init(microseconds))
    }
}
