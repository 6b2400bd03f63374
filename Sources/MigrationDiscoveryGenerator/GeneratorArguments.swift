/// The command line `MigrationDiscoveryPlugin` passes to the generator.
///
/// ```
/// MigrationDiscoveryGenerator --target-directory DIR --output FILE [--configuration FILE] [--] SOURCE…
/// ```
struct GeneratorArguments: Sendable, Equatable {
    /// The target's directory; sources' paths are taken relative to it.
    var targetDirectory: String
    /// Where to write the generated Swift file.
    var output: String
    /// The target's `migration-discovery.json`, when it has one.
    var configuration: String?
    /// Every Swift source file of the target.
    var sources: [String]

    /// A mistake on the command line, which only a broken plugin or a person running the tool by hand makes.
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static let usage =
        "usage: MigrationDiscoveryGenerator --target-directory DIR --output FILE [--configuration FILE] [--] SOURCE…"

    /// Parses the arguments after the program's name.
    init(_ arguments: some Sequence<String>) throws(UsageError) {
        var targetDirectory: String?
        var output: String?
        var configuration: String?
        var sources: [String] = []
        var iterator = arguments.makeIterator()
        var optionsEnded = false
        while let argument = iterator.next() {
            if optionsEnded || !argument.hasPrefix("--") {
                sources.append(argument)
                continue
            }
            switch argument {
            case "--":
                optionsEnded = true
            case "--target-directory", "--output", "--configuration":
                guard let value = iterator.next() else {
                    throw UsageError(description: "\(argument) needs a value\n\(Self.usage)")
                }
                if argument == "--target-directory" { targetDirectory = value }
                if argument == "--output" { output = value }
                if argument == "--configuration" { configuration = value }
            default:
                throw UsageError(description: "unknown option '\(argument)'\n\(Self.usage)")
            }
        }
        guard let targetDirectory, let output else {
            throw UsageError(description: "--target-directory and --output are required\n\(Self.usage)")
        }
        self.targetDirectory = targetDirectory.hasSuffix("/") ? String(targetDirectory.dropLast()) : targetDirectory
        self.output = output
        self.configuration = configuration
        self.sources = sources
    }
}
