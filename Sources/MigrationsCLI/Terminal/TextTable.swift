/// A table of text with aligned columns, coloured per cell when the style allows.
///
/// Widths count characters of the plain text, so colour escapes never break the alignment; the last
/// column is not padded, so lines carry no trailing spaces.
///
/// ```
/// NAME                    STATE      DURATION
/// 2025-01-01-write-csv    completed     0.21s
/// ```
package struct TextTable: Sendable {
    /// One cell: its text and an optional colour.
    package struct Cell: Sendable, ExpressibleByStringLiteral {
        /// The plain text.
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

    /// The table as lines ending in newlines.
    package func render(style: TerminalStyle) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.text.count)
            }
        }
        var output = line(headers.map { Cell($0, .bold) }, widths: widths, style: style)
        for row in rows { output += line(row, widths: widths, style: style) }
        return output
    }

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
