/// Decodes the value of a plain Swift string literal: the escapes `\0 \\ \t \n \r \" \'` and `\u{…}`.
enum SwiftStringLiteral {
    /// Decodes the bytes between the quotes of a single-line literal without interpolation.
    ///
    /// The tokenizer hands over raw strings with their `#`s already dropped from escapes, and a literal
    /// backslash doubled, so every backslash here starts an ordinary escape.
    ///
    /// - Parameter content: The bytes between the quotes, escapes included.
    /// - Returns: The value, or `nil` for an escape Swift would reject.
    static func decode(_ content: [UInt8]) -> String? {
        var scalars = String.UnicodeScalarView()
        let text = String(decoding: content, as: UTF8.self).unicodeScalars
        var index = text.startIndex
        while index < text.endIndex {
            let scalar = text[index]
            index = text.index(after: index)
            guard scalar == "\\" else {
                scalars.append(scalar)
                continue
            }
            guard index < text.endIndex else { return nil }
            let escaped = text[index]
            index = text.index(after: index)
            switch escaped {
            case "0": scalars.append("\0")
            case "\\": scalars.append("\\")
            case "t": scalars.append("\t")
            case "n": scalars.append("\n")
            case "r": scalars.append("\r")
            case "\"": scalars.append("\"")
            case "'": scalars.append("'")
            case "u":
                guard index < text.endIndex, text[index] == "{" else { return nil }
                var digits = ""
                index = text.index(after: index)
                while index < text.endIndex, text[index] != "}" {
                    digits.unicodeScalars.append(text[index])
                    index = text.index(after: index)
                }
                guard index < text.endIndex, let value = UInt32(digits, radix: 16),
                    let decoded = Unicode.Scalar(value)
                else { return nil }
                index = text.index(after: index)
                scalars.append(decoded)
            default:
                return nil
            }
        }
        return String(scalars)
    }
}
