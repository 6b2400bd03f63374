import Foundation

extension DiscoveryConfiguration {
    /// The keys `migration-discovery.json` may hold, with what each must be.
    private static let keys: KeyValuePairs<String, String> = [
        "pattern": "a non-empty string such as \"*.migration.swift\"",
        "recursive": "true or false",
        "directory": "a string such as \"Migrations\"",
    ]

    /// The keys `migration-discovery.json` may hold.
    package static var knownKeys: [String] { keys.map(\.key) }

    /// The file's contents as decoded; every key is optional.
    private struct File: Decodable {
        var pattern: String?
        var recursive: Bool?
        var directory: String?
    }

    /// Reads a configuration from the text of a `migration-discovery.json` file.
    ///
    /// Unknown keys are refused, so a misspelt `"recusive"` cannot silently keep the default.
    ///
    /// - Parameters:
    ///   - json: The file's contents.
    ///   - path: The file's path, for messages.
    /// - Throws: ``DiscoveryDiagnostic`` saying what is wrong with the file, and on which line.
    package init(json: String, path: String) throws(DiscoveryDiagnostic) {
        let data = Data(json.utf8)
        guard let object = try? JSONSerialization.jsonObject(with: data) else {
            throw DiscoveryDiagnostic(.error, file: path, line: 1, "\(Self.fileName) is not valid JSON")
        }
        guard let dictionary = object as? [String: Any] else {
            throw DiscoveryDiagnostic(
                .error, file: path, line: 1,
                "\(Self.fileName) must hold a JSON object, such as {\"pattern\": \"*.migration.swift\"}"
            )
        }
        for key in dictionary.keys.sorted() where !Self.knownKeys.contains(key) {
            throw DiscoveryDiagnostic(
                .error, file: path, line: Self.line(of: key, in: json),
                "unknown key '\(key)' in \(Self.fileName); the keys are \(Self.knownKeys.joined(separator: ", "))"
            )
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            let key = Self.key(of: error) ?? "pattern"
            let expected = Self.keys.first { $0.key == key }?.value ?? "valid"
            throw DiscoveryDiagnostic(
                .error, file: path, line: Self.line(of: key, in: json),
                "'\(key)' in \(Self.fileName) must be \(expected)"
            )
        }
        if let pattern = file.pattern, pattern.isEmpty {
            throw DiscoveryDiagnostic(
                .error, file: path, line: Self.line(of: "pattern", in: json),
                "'pattern' in \(Self.fileName) must be \(Self.keys[0].value)"
            )
        }
        if let directory = file.directory, directory.hasPrefix("/") || directory.split(separator: "/").contains("..") {
            throw DiscoveryDiagnostic(
                .error, file: path, line: Self.line(of: "directory", in: json),
                "'directory' must be a path inside the target, such as \"Migrations\", not '\(directory)'"
            )
        }
        self.init(
            pattern: file.pattern ?? Self.defaultPattern,
            recursive: file.recursive ?? true,
            directory: file.directory ?? ""
        )
    }

    /// The key a decoding error is about.
    private static func key(of error: any Error) -> String? {
        guard let error = error as? DecodingError else { return nil }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath.first?.stringValue
        case .keyNotFound(let key, _):
            return key.stringValue
        @unknown default:
            return nil
        }
    }

    /// The line on which `"key"` first appears, or 1.
    private static func line(of key: String, in json: String) -> Int {
        guard let range = json.range(of: "\"\(key)\"") else { return 1 }
        return json[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }
}
