/// A strict reader of one flat JSON object: string, number, boolean and null members, and arrays of
/// strings; the fast path of ``MigrationResult/decode(from:)``.
///
/// It accepts less than JSON does, never more: a nested object, another kind of array, a duplicate key,
/// an escape it does not know, a surrogate pair, invalid UTF-8 or anything after the closing brace makes
/// ``init(_:)`` return `nil`, and the caller falls back to `JSONDecoder`, which then decides. So whatever
/// this reader accepts, `JSONDecoder` reads the same way.
struct FlatJSONObject {
    /// One member's value.
    enum Value: Equatable {
        case string(String)
        /// The number's text, exactly as written, for the caller to parse into the type it needs.
        case number(String)
        case bool(Bool)
        case null
        case strings([String])
    }

    /// The members, by key.
    private(set) var members: [String: Value] = [:]

    /// Reads `bytes` as one flat object; `nil` when it is anything else (see the type's overview).
    ///
    /// - Parameter bytes: The UTF-8 text of the object.
    init?(_ bytes: UnsafeRawBufferPointer) {
        var reader = Reader(bytes: bytes)
        guard reader.skipSpace(), reader.take(UInt8(ascii: "{")) else { return nil }
        guard reader.skipSpace() else { return nil }
        if reader.take(UInt8(ascii: "}")) {
            guard reader.atEndAfterSpace() else { return nil }
            return
        }
        while true {
            guard reader.skipSpace(), let key = reader.string(), reader.skipSpace(),
                reader.take(UInt8(ascii: ":")), reader.skipSpace(), let value = reader.value(),
                members.updateValue(value, forKey: key) == nil, reader.skipSpace()
            else { return nil }
            if reader.take(UInt8(ascii: ",")) { continue }
            guard reader.take(UInt8(ascii: "}")), reader.atEndAfterSpace() else { return nil }
            return
        }
    }

    // MARK: - Typed access

    /// The member's string; `nil` when it is missing, null or not a string.
    func string(_ key: String) -> String? {
        if case .string(let text) = members[key] { return text }
        return nil
    }

    /// Whether the member is missing or null, as an optional property reads it.
    func isAbsent(_ key: String) -> Bool {
        members[key] == nil || members[key] == .null
    }

    /// The member as an integer written as plain digits; `nil` otherwise (`JSONDecoder` then decides).
    func integer<Integer: FixedWidthInteger>(_ key: String, as type: Integer.Type = Integer.self) -> Integer? {
        guard case .number(let text) = members[key],
            text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Integer(text)
    }

    /// The member as a double; `nil` when it is not a number.
    func double(_ key: String) -> Double? {
        guard case .number(let text) = members[key] else { return nil }
        return Double(text)
    }

    /// The member's strings; `nil` when it is not an array of strings.
    func strings(_ key: String) -> [String]? {
        if case .strings(let texts) = members[key] { return texts }
        return nil
    }
}

// MARK: - Reading

extension FlatJSONObject {
    /// A cursor over the bytes, each step `nil` or `false` at the first thing it does not accept.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

        /// Skips JSON white space; always `true`, so it chains in a `guard`.
        mutating func skipSpace() -> Bool {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { offset += 1 }
            return true
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            offset += 1
            return true
        }

        mutating func atEndAfterSpace() -> Bool {
            _ = skipSpace()
            return offset == bytes.count
        }

        mutating func value() -> Value? {
            guard let byte = current else { return nil }
            switch byte {
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "["): return strings().map(Value.strings)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number().map(Value.number)
            default: return nil
            }
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard offset + count <= bytes.count else { return false }
            for index in 0..<count where bytes[offset + index] != word.utf8Start[index] { return false }
            offset += count
            return true
        }

        /// A number in JSON's grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
        private mutating func number() -> String? {
            let start = offset
            _ = take(UInt8(ascii: "-"))
            if take(UInt8(ascii: "0")) {
                // No leading zeros.
            } else if digits() == 0 {
                return nil
            }
            if take(UInt8(ascii: ".")), digits() == 0 { return nil }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                if digits() == 0 { return nil }
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        }

        private mutating func digits() -> Int {
            let start = offset
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { offset += 1 }
            return offset - start
        }

        private mutating func strings() -> [String]? {
            guard take(UInt8(ascii: "[")), skipSpace() else { return nil }
            var texts: [String] = []
            if take(UInt8(ascii: "]")) { return texts }
            while true {
                guard skipSpace(), let text = string(), skipSpace() else { return nil }
                texts.append(text)
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "]")) ? texts : nil
            }
        }

        /// A string: valid UTF-8, no raw control character, the escapes `\" \\ \/ \b \f \n \r \t` and
        /// `\uXXXX` outside the surrogates.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = offset
            while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 {
                offset += 1
            }
            if current == UInt8(ascii: "\"") {
                let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
                offset += 1
                return text
            }
            offset = start
            return escapedString()
        }

        private mutating func escapedString() -> String? {
            var utf8: [UInt8] = []
            while let byte = current {
                offset += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(validating: utf8, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = current else { return nil }
                    offset += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        utf8.append(contentsOf: String(Character(scalar)).utf8)
                    default: return nil
                    }
                case 0..<0x20:
                    return nil
                default:
                    utf8.append(byte)
                }
            }
            return nil
        }

        /// The four hex digits after `\u`, outside the surrogate range.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard offset + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = current.flatMap({ Character(Unicode.Scalar($0)).hexDigitValue }) else { return nil }
                value = value << 4 | UInt32(digit)
                offset += 1
            }
            return Unicode.Scalar(value)
        }
    }
}
