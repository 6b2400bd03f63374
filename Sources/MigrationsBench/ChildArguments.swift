/// The `--name value` options of a child mode (`migrations-bench child …`), which only the bench writes.
struct ChildArguments: Sendable {
    private let values: [String: String]

    /// Reads `--name value` pairs.
    ///
    /// - Throws: ``BenchUsageError`` for a flag without a value or a stray word.
    init(_ arguments: some Sequence<String>) throws(BenchUsageError) {
        var values: [String: String] = [:]
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard flag.hasPrefix("--"), let value = iterator.next() else {
                throw BenchUsageError("child options come as --name value pairs; '\(flag)' does not")
            }
            values[String(flag.dropFirst(2))] = value
        }
        self.values = values
    }

    /// The value of `--name`.
    ///
    /// - Throws: ``BenchUsageError`` when it is missing.
    func string(_ name: String) throws(BenchUsageError) -> String {
        guard let value = values[name] else { throw BenchUsageError("the child needs --\(name)") }
        return value
    }

    /// The value of `--name` as a whole number, or `fallback` when it is absent.
    ///
    /// - Throws: ``BenchUsageError`` when it is not a whole number.
    func integer(_ name: String, default fallback: Int) throws(BenchUsageError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text) else { throw BenchUsageError("--\(name) needs a whole number, not '\(text)'") }
        return value
    }

    /// The value of `--name`, if given.
    func optional(_ name: String) -> String? { values[name] }
}
