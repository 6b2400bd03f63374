import Foundation
import Migrations

/// Writes `--json` output: pretty-printed, sorted keys, ISO 8601 dates (`MigrationJSON`), then a newline.
package enum JSONOutput {
    /// Encodes a value to standard output.
    ///
    /// - Throws: ``MigrationsCommandError`` when the value cannot be encoded.
    package static func write<Value: Encodable>(_ value: Value) throws {
        StandardStreams.writeOutput(try encode(value) + "\n")
    }

    /// Encodes a value as the commands print it.
    package static func encode<Value: Encodable>(_ value: Value) throws -> String {
        do {
            let text = String(decoding: try MigrationJSON.encoder(pretty: true).encode(value), as: UTF8.self)
            // Foundation pretty-prints an empty array as "[\n\n]"; every JSON tool expects "[]".
            return text.filter { !$0.isWhitespace } == "[]" ? "[]" : text
        } catch {
            throw MigrationsCommandError(.failed, "could not encode the JSON output: \(error)")
        }
    }
}
