/// Commands encoded once, in the Redis protocol (RESP), into one buffer that is written as it is.
///
/// Each argument is copied straight from the caller's `String` or bytes into the buffer with its length
/// (`*<count>\r\n$<length>\r\n<bytes>\r\n…`), so values may hold any bytes, and hiredis receives the
/// whole pipeline already formatted (`redisAppendFormattedCommand`) instead of formatting each command
/// again from `argv` arrays.
///
/// Nothing but the buffer is kept: the rare error path that needs a command's name and key reads them
/// back from it (``arguments(ofCommand:)``).
struct RESPCommands {
    /// The encoded commands, ready for the socket.
    private(set) var bytes: [UInt8] = []

    /// How many commands the buffer holds; each is answered by one reply.
    private(set) var count = 0

    /// An empty buffer with room for about `capacity` bytes.
    init(reservingCapacity capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Appending

    /// Appends one command given as text; each argument is sent as its UTF-8 bytes.
    ///
    /// - Throws: ``RedisError/Code-swift.struct/invalidCommand`` if `command` is empty.
    mutating func append(_ command: [String]) throws(RedisError) {
        try appendHeader(arguments: command.count)
        for argument in command {
            appendArgument(argument)
        }
    }

    /// Appends one command given as raw bytes.
    ///
    /// - Throws: ``RedisError/Code-swift.struct/invalidCommand`` if `command` is empty.
    mutating func append(_ command: [[UInt8]]) throws(RedisError) {
        try appendHeader(arguments: command.count)
        for argument in command {
            argument.withUnsafeBytes { appendArgument($0) }
        }
    }

    /// Appends the array header of a command with `arguments` arguments.
    mutating func appendHeader(arguments: Int) throws(RedisError) {
        guard arguments > 0 else {
            throw RedisError(
                code: .invalidCommand,
                message: "command \(count + 1) is empty; a command needs at least its name"
            )
        }
        count += 1
        bytes.append(UInt8(ascii: "*"))
        appendDecimal(arguments)
        appendLineEnd()
    }

    /// Appends one bulk-string argument holding the UTF-8 bytes of `text`.
    mutating func appendArgument(_ text: String) {
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ appendArgument(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        Array(text.utf8).withUnsafeBytes { appendArgument($0) }
    }

    /// Appends one bulk-string argument holding `argument`.
    mutating func appendArgument(_ argument: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "$"))
        appendDecimal(argument.count)
        appendLineEnd()
        bytes.append(contentsOf: argument)
        appendLineEnd()
    }

    private mutating func appendLineEnd() {
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Appends the decimal digits of a non-negative `value`, without building a `String`.
    private mutating func appendDecimal(_ value: Int) {
        var width = 1
        var rest = value / 10
        while rest > 0 {
            width += 1
            rest /= 10
        }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var remaining = value
        var index = bytes.count - 1
        while remaining > 0 {
            bytes[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            index -= 1
        }
    }

    // MARK: - Reading back

    /// The arguments of command `index` (from zero), decoded back from the buffer; used to describe a
    /// failed command in its error. Empty if the index is out of range.
    func arguments(ofCommand index: Int) -> [[UInt8]] {
        var reader = Reader(bytes: bytes)
        var current = 0
        while let command = reader.nextCommand() {
            if current == index {
                return command
            }
            current += 1
        }
        return []
    }

    /// Walks the buffer this type wrote; it trusts the format, since only ``RESPCommands`` produced it.
    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func nextCommand() -> [[UInt8]]? {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "*") else {
                return nil
            }
            position += 1
            let count = decimal()
            return (0..<count).map { _ in
                position += 1  // "$"
                let length = decimal()
                defer { position += length + 2 }
                return Array(bytes[position..<min(position + length, bytes.count)])
            }
        }

        /// Reads digits up to and past the "\r\n" after them.
        private mutating func decimal() -> Int {
            var value = 0
            while position < bytes.count, bytes[position] != UInt8(ascii: "\r") {
                value = value * 10 + Int(bytes[position] &- UInt8(ascii: "0"))
                position += 1
            }
            position += 2
            return value
        }
    }
}
