import Migrations

/// A table of text with aligned columns, coloured per cell when the style allows.
///
/// Widths count characters of the plain text, so colour escapes never break the alignment; the last
/// column is not padded, so lines carry no trailing spaces.
///
/// Cells hold data as it is: ``render(style:)`` escapes every header and cell with
/// ``VisibleText/escaping(_:)`` before measuring and colouring it, so a name or error holding an ESC,
/// a line break or a bidirectional override is shown escaped (`\u{1B}`), never obeyed by the terminal.
///
/// ```
/// NAME                    STATE      DURATION
/// 2025-01-01-write-csv    completed     0.21s
/// ```
package struct TextTable: Sendable {
    /// One cell: its text and an optional colour.
    package struct Cell: Sendable, ExpressibleByStringLiteral {
        /// The plain text, as it is: the table escapes it when it renders, so callers never do.
        package var text: String
        /// The colour, applied when the style allows.
        package var attribute: TerminalStyle.Attribute?

        /// Creates a cell.
        package init(_ text: String, _ attribute: TerminalStyle.Attribute? = nil) {
            self.text = text
            self.attribute = attribute
        }

        /// Creates an uncoloured cell from a literal.
        package init(stringLiteral value: String) {
            self.init(value)
        }
    }

    /// The column headers.
    package var headers: [String]
    /// The columns whose cells are aligned right (numbers, durations).
    package var rightAligned: Set<Int> = []
    /// The rows; each has one cell per header.
    package var rows: [[Cell]] = []

    /// Creates an empty table.
    package init(headers: [String]) {
        self.headers = headers
    }

    /// Adds a row.
    package mutating func append(_ row: [Cell]) {
        rows.append(row)
    }

    /// The table as lines ending in newlines, every cell escaped for the terminal, then coloured.
    ///
    /// - Parameter style: Whether the cells' colours are written.
    package func render(style: TerminalStyle) -> String {
        let shownHeaders = headers.map { Cell(VisibleText.escaping($0), .bold) }
        let shownRows = rows.map { row in row.map { Cell(VisibleText.escaping($0.text), $0.attribute) } }
        var widths = shownHeaders.map(\.text.count)
        for row in shownRows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.text.count)
            }
        }
        var output = line(shownHeaders, widths: widths, style: style)
        for row in shownRows { output += line(row, widths: widths, style: style) }
        return output
    }

    /// One line of cells already escaped: padded to the widths, then coloured.
    private func line(_ cells: [Cell], widths: [Int], style: TerminalStyle) -> String {
        var parts: [String] = []
        for (index, width) in widths.enumerated() {
            let cell = index < cells.count ? cells[index] : Cell("")
            let padding = String(repeating: " ", count: max(0, width - cell.text.count))
            let isLast = index == widths.count - 1
            let colored = style.apply(cell.attribute, cell.text)
            if rightAligned.contains(index) {
                parts.append(padding + colored)
            } else {
                parts.append(isLast ? colored : colored + padding)
            }
        }
        var text = parts.joined(separator: "  ")
        while text.hasSuffix(" ") { text.removeLast() }
        return text + "\n"
    }
}
