import Migrations

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Unbuffered writes to standard output and standard error, whole strings at a time.
///
/// `print` buffers standard output, which interleaves badly with standard error when both go to one
/// terminal; every command writes through here instead.
///
/// A sentence for a person that carries data (a name, a holder, an error) goes through
/// ``writeOutputLine(_:)`` or ``writeErrorLine(_:)``, which escape it with ``VisibleText/escaping(_:)``.
/// ``writeOutput(_:)`` and ``writeError(_:)`` write text as it is: JSON, which must stay exact, and text
/// already made safe where it was built, such as a rendered ``TextTable``.
package enum StandardStreams {
    /// Writes text to standard output as it is.
    ///
    /// - Parameter text: JSON, or text whose data is already escaped.
    package static func writeOutput(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// Writes text to standard error as it is.
    ///
    /// - Parameter text: Text whose data is already escaped.
    package static func writeError(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// Writes one line to standard output, escaped for the terminal, then a newline.
    ///
    /// ```swift
    /// StandardStreams.writeOutputLine("Reset '\(name)': deleted \(keys)")
    /// ```
    ///
    /// - Parameter line: The line without its newline; line breaks inside it are shown escaped.
    package static func writeOutputLine(_ line: String) {
        writeOutput(VisibleText.escaping(line) + "\n")
    }

    /// Writes one line to standard error, escaped for the terminal, then a newline.
    ///
    /// - Parameter line: The line without its newline; line breaks inside it are shown escaped.
    package static func writeErrorLine(_ line: String) {
        writeError(VisibleText.escaping(line) + "\n")
    }

    /// Writes every byte, retrying after partial writes and interruptions.
    package static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            #if canImport(Glibc)
                let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            #elseif canImport(Musl)
                let written = bytes.withUnsafeBytes { Musl.write(descriptor, $0.baseAddress, $0.count) }
            #elseif canImport(Darwin)
                let written = bytes.withUnsafeBytes { Darwin.write(descriptor, $0.baseAddress, $0.count) }
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Whether the descriptor is a terminal.
    package static func isTerminal(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1
    }

    /// The width of the terminal on the descriptor, or `nil` when it is not one.
    package static func terminalColumns(_ descriptor: Int32) -> Int? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
