import Foundation

/// The demo's context: the working directory its migrations read and write.
struct DemoFiles: Sendable {
    /// The working directory.
    let directory: URL
    /// How long the import pauses every 250 rows, so its progress can be watched.
    let importDelay: Duration

    /// Creates the directory when missing.
    init(directory: String, importDelay: Duration) throws {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        self.importDelay = importDelay
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
    }

    /// A file in the working directory.
    func url(_ name: String) -> URL {
        directory.appendingPathComponent(name)
    }

    /// Whether a file exists in the working directory.
    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: url(name).path)
    }

    /// Reads a JSON file of customers.
    /// The customers imported into `customers.json`, for the steps that build on the import; `nil`
    /// in a dry run before the import has really run (nothing to read yet).
    ///
    /// - Throws: ``DemoError`` when the file is missing in a real run.
    func importedCustomers(dryRun: Bool) throws -> [Customer]? {
        guard exists("customers.json") else {
            if dryRun { return nil }
            throw DemoError("customers.json is missing; run 2025-01-02-import-customers first")
        }
        return try readCustomers("customers.json")
    }

    func readCustomers(_ name: String) throws -> [Customer] {
        try JSONDecoder().decode([Customer].self, from: Data(contentsOf: url(name)))
    }

    /// Writes a value as JSON, atomically.
    func writeJSON<Value: Encodable>(_ value: Value, to name: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(value).write(to: url(name), options: .atomic)
    }

    /// Deletes a file if it exists.
    func remove(_ name: String) throws {
        if exists(name) { try FileManager.default.removeItem(at: url(name)) }
    }
}

/// One customer of the demo.
struct Customer: Codable, Sendable, Equatable {
    var id: Int
    var name: String
    var email: String?
    var country: String
    var active: Bool

    /// The CSV header.
    static let csvHeader = "id,name,email,country,active"

    /// The customer as a CSV line.
    var csvLine: String {
        "\(id),\(name),\(email ?? ""),\(country),\(active)"
    }

    /// Parses a CSV line written by ``csvLine``.
    init?(csvLine line: Substring) {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 5, let id = Int(fields[0]) else { return nil }
        self.init(
            id: id, name: String(fields[1]), email: fields[2].isEmpty ? nil : String(fields[2]),
            country: String(fields[3]), active: fields[4] == "true")
    }

    init(id: Int, name: String, email: String?, country: String, active: Bool) {
        self.id = id
        self.name = name
        self.email = email
        self.country = country
        self.active = active
    }
}
