/// Writes values as Swift source literals for generated code.
enum SwiftSourceLiteral {
    /// `value` as a string literal, with quotes, backslashes and control characters escaped.
    static func string(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `value` as an optional string literal: the literal, or `nil`.
    static func optionalString(_ value: String?) -> String {
        value.map(string) ?? "nil"
    }

    /// `values` as an array literal of strings, one element a line, indented by `indent`.
    static func stringArray(_ values: [String], indent: String) -> String {
        array(values.map(string), indent: indent)
    }

    /// `elements` (already source) as an array literal, one element a line, indented by `indent`.
    static func array(_ elements: [String], indent: String) -> String {
        guard !elements.isEmpty else { return "[]" }
        let lines = elements.map { "\(indent)    \($0)," }.joined(separator: "\n")
        return "[\n\(lines)\n\(indent)]"
    }
}
