import Synchronization

/// Standard error on a terminal, with a block of status lines (the progress bars) kept at the bottom.
///
/// Lines written with ``print(_:)`` appear above the status block, which is erased and drawn again around
/// them, so log lines and progress bars never garble each other.
final class TerminalConsole: Sendable {
    private struct State {
        var status: [String] = []
    }

    /// The style of what is written.
    let style: TerminalStyle
    private let state = Mutex(State())
    private let descriptor: Int32

    /// Creates a console on a descriptor, standard error by default.
    init(style: TerminalStyle, descriptor: Int32 = 2) {
        self.style = style
        self.descriptor = descriptor
    }

    /// The terminal's width, 80 when unknown.
    var columns: Int {
        StandardStreams.terminalColumns(descriptor) ?? 80
    }

    /// Writes text (ending in a newline) above the status lines.
    func print(_ text: String) {
        state.withLock { state in
            StandardStreams.write(erase(state.status) + text + draw(state.status), to: descriptor)
        }
    }

    /// Replaces the status lines.
    func setStatus(_ lines: [String]) {
        let width = max(20, columns - 1)
        let fitted = lines.map { Self.fit($0, to: width) }
        state.withLock { state in
            guard state.status != fitted else { return }
            StandardStreams.write(erase(state.status) + draw(fitted), to: descriptor)
            state.status = fitted
        }
    }

    /// Cuts a line to `width` visible characters (colour escapes not counted), ending any colour.
    static func fit(_ line: String, to width: Int) -> String {
        var visibleCount = 0
        var inEscape = false
        for character in line {
            if inEscape {
                if character.isLetter { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                visibleCount += 1
            }
        }
        guard visibleCount > width else { return line }
        var result = ""
        var visible = 0
        inEscape = false
        for character in line {
            if inEscape {
                if character.isLetter { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                if visible == width - 1 { break }
                visible += 1
            }
            result.append(character)
        }
        return result + "\u{1B}[0m…"
    }

    /// Erases the status lines.
    func clearStatus() {
        setStatus([])
    }

    /// Moves to the start of the first status line, clearing each line on the way.
    private func erase(_ lines: [String]) -> String {
        guard !lines.isEmpty else { return "" }
        return "\r\u{1B}[K" + String(repeating: "\u{1B}[1A\u{1B}[K", count: lines.count - 1)
    }

    /// The status lines, the cursor left at the end of the last one.
    private func draw(_ lines: [String]) -> String {
        lines.joined(separator: "\n")
    }
}
