import Foundation

/// Whether and how to colour text: only on a terminal, never when `NO_COLOR` is set or `TERM` is `dumb`.
///
/// ```swift
/// let style = TerminalStyle.forStandardOutput()
/// print(style.apply(.green, "completed"))
/// ```
public struct TerminalStyle: Sendable, Equatable {
    /// An ANSI text attribute.
    public struct Attribute: Sendable, Equatable {
        /// The SGR parameters, such as `32` for green.
        public let code: String

        /// Bold.
        public static let bold = Attribute(code: "1")
        /// Dim.
        public static let dim = Attribute(code: "2")
        /// Red.
        public static let red = Attribute(code: "31")
        /// Green.
        public static let green = Attribute(code: "32")
        /// Yellow.
        public static let yellow = Attribute(code: "33")
        /// Magenta.
        public static let magenta = Attribute(code: "35")
        /// Cyan.
        public static let cyan = Attribute(code: "36")
    }

    /// Whether colour escapes are written.
    public var colors: Bool

    /// Creates a style.
    ///
    /// - Parameter colors: Whether to write colour escapes.
    public init(colors: Bool) {
        self.colors = colors
    }

    /// No colour at all.
    public static let plain = TerminalStyle(colors: false)

    /// The style for a stream: colour when it is a terminal, `NO_COLOR` is unset or empty, and `TERM` is
    /// not `dumb`.
    ///
    /// - Parameters:
    ///   - isTerminal: Whether the stream is a terminal.
    ///   - environment: The process environment.
    public static func detect(isTerminal: Bool, environment: [String: String]) -> TerminalStyle {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TerminalStyle(colors: isTerminal && !noColor && environment["TERM"] != "dumb")
    }

    /// Wraps text in the attribute's escape and a reset, when colours are on.
    public func apply(_ attribute: Attribute?, _ text: String) -> String {
        guard colors, let attribute, !text.isEmpty else { return text }
        return "\u{1B}[\(attribute.code)m\(text)\u{1B}[0m"
    }
}

// MARK: - Standard streams

extension TerminalStyle {
    /// The style for standard output, from the process environment.
    public static func forStandardOutput() -> TerminalStyle {
        detect(isTerminal: StandardStreams.isTerminal(1), environment: ProcessInfo.processInfo.environment)
    }

    /// The style for standard error, from the process environment.
    public static func forStandardError() -> TerminalStyle {
        detect(isTerminal: StandardStreams.isTerminal(2), environment: ProcessInfo.processInfo.environment)
    }
}
