import Dispatch
import Foundation

/// Reads lines of a file from a byte offset, off the cooperative thread pool (each read runs on a
/// dispatch queue of its own).
final class LineFileReader: Sendable {
    private let handle: FileHandle
    private let path: String
    private let queue = DispatchQueue(label: "migrations.line-file-reader")

    /// Lines read, and the offset just after the last.
    struct Chunk: Sendable {
        var lines: [String]
        var next: UInt64
    }

    init(path: String) throws(MigrationError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MigrationError(.invalidConfiguration, "cannot open \(path) for reading")
        }
        self.handle = handle
        self.path = path
    }

    /// Up to `count` lines starting at `offset`; `nil` at the end of the file.
    func lines(from offset: UInt64, count: Int) async throws -> Chunk? {
        let handle = self.handle
        let path = self.path
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try Self.read(handle, path: path, from: offset, count: count) })
            }
        }
    }

    func close() {
        try? handle.close()
    }

    private static func read(_ handle: FileHandle, path: String, from offset: UInt64, count: Int) throws -> Chunk? {
        do {
            try handle.seek(toOffset: offset)
            var lines: [String] = []
            var pending = Data()
            var position = offset
            while lines.count < count {
                let data = try handle.read(upToCount: 64 * 1024) ?? Data()
                if data.isEmpty {
                    if !pending.isEmpty {
                        position += UInt64(pending.count)
                        lines.append(line(pending))
                    }
                    break
                }
                pending.append(data)
                var start = pending.startIndex
                while lines.count < count, let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    lines.append(line(pending[start..<newline]))
                    position += UInt64(newline - start + 1)
                    start = newline + 1
                }
                pending = Data(pending[start...])
            }
            return lines.isEmpty ? nil : Chunk(lines: lines, next: position)
        } catch {
            throw MigrationError(.invalidConfiguration, "cannot read \(path): \(error)")
        }
    }

    private static func line(_ bytes: Data) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}
