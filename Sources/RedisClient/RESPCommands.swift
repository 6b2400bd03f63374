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

    /// Encodes `commands`, in order: each a command name and its arguments, as text or as bytes.
    ///
    /// - Throws: ``RedisError/Code-swift.struct/invalidCommand`` if a command is empty, which would garble
    ///   the protocol.
    init(_ commands: [[some RESPArgument]]) throws(RedisError) {
        self.init(reservingCapacity: commands.count * 32)
        for (index, command) in commands.enumerated() {
            guard !command.isEmpty else {
                throw RedisError(
                    code: .invalidCommand,
                    message: "command \(index + 1) of \(commands.count) is empty; a command needs at least its name"
                )
            }
            appendHeader(arguments: command.count)
            for argument in command {
                appendArgument(argument)
            }
        }
    }

    // MARK: - Appending

    /// Appends the array header of a command with `arguments` arguments (at least one).
    mutating func appendHeader(arguments: Int) {
        precondition(arguments > 0, "a command needs at least its name")
        count += 1
        bytes.append(UInt8(ascii: "*"))
        appendDecimal(arguments)
        appendLineEnd()
    }

    /// Appends one bulk-string argument.
    mutating func appendArgument(_ argument: some RESPArgument) {
        argument.withArgumentBytes { raw in
            bytes.append(UInt8(ascii: "$"))
            appendDecimal(raw.count)
            appendLineEnd()
            bytes.append(contentsOf: raw)
            appendLineEnd()
        }
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

/// A value sent as one bulk-string argument: a `String` as its UTF-8 bytes, or raw bytes as they are.
protocol RESPArgument: Sendable {
    /// Calls `body` with the argument's bytes.
    func withArgumentBytes<Value>(_ body: (UnsafeRawBufferPointer) -> Value) -> Value
}

extension String: RESPArgument {
    func withArgumentBytes<Value>(_ body: (UnsafeRawBufferPointer) -> Value) -> Value {
        if let value = utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return value
        }
        return Array(utf8).withUnsafeBytes(body)
    }
}

extension Array: RESPArgument where Element == UInt8 {
    func withArgumentBytes<Value>(_ body: (UnsafeRawBufferPointer) -> Value) -> Value {
        withUnsafeBytes(body)
    }
}
