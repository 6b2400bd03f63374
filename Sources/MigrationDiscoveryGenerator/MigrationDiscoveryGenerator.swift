import Foundation
import MigrationDiscovery

/// The build tool behind `MigrationDiscoveryPlugin`: scans a target's Swift files for migrations and
/// writes the code that registers them.
///
/// Problems are printed to standard error as `path:line: error: message`, like a compiler's, and any
/// error makes the tool exit with status 1, which fails the build.
@main
enum MigrationDiscoveryGenerator {
    static func main() {
        do {
            let arguments = try GeneratorArguments(CommandLine.arguments.dropFirst())
            let diagnostics = try run(arguments)
            report(diagnostics)
            if diagnostics.contains(where: { $0.severity == .error }) { exit(1) }
        } catch let error as GeneratorArguments.UsageError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            exit(2)
        } catch let diagnostic as DiscoveryDiagnostic {
            report([diagnostic])
            exit(1)
        } catch {
            FileHandle.standardError.write(Data("error: migration discovery failed: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Discovers, and writes the generated file unless there are errors.
    ///
    /// - Returns: The diagnostics to print, with absolute paths.
    static func run(_ arguments: GeneratorArguments) throws -> [DiscoveryDiagnostic] {
        let configuration = try loadConfiguration(arguments)
        if !configuration.directory.isEmpty {
            var isDirectory: ObjCBool = false
            let path = "\(arguments.targetDirectory)/\(configuration.directory)"
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw DiscoveryDiagnostic(
                    .error, file: arguments.configuration ?? arguments.targetDirectory, line: 1,
                    "the directory '\(configuration.directory)' named in \(DiscoveryConfiguration.fileName) does "
                        + "not exist in the target"
                )
            }
        }
        let sources = try arguments.sources.map { path in
            DiscoverySource(
                path: relativePath(of: path, in: arguments.targetDirectory),
                text: try String(contentsOfFile: path, encoding: .utf8))
        }
        let result = MigrationDiscoverer(configuration: configuration).discover(sources)
        let diagnostics = result.diagnostics.map { $0.located(in: arguments.targetDirectory) }
        guard !result.hasErrors else { return diagnostics }
        try writeIfChanged(DiscoveredMigrationsRenderer(result: result).render(), to: arguments.output)
        return diagnostics
    }

    private static func loadConfiguration(_ arguments: GeneratorArguments) throws -> DiscoveryConfiguration {
        guard let path = arguments.configuration else { return DiscoveryConfiguration() }
        return try DiscoveryConfiguration(json: String(contentsOfFile: path, encoding: .utf8), path: path)
    }

    private static func relativePath(of path: String, in directory: String) -> String {
        path.hasPrefix(directory + "/") ? String(path.dropFirst(directory.count + 1)) : path
    }

    /// Leaves an unchanged file alone, so that the target is not recompiled for nothing.
    private static func writeIfChanged(_ contents: String, to path: String) throws {
        let data = Data(contents.utf8)
        if let existing = FileManager.default.contents(atPath: path), existing == data { return }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private static func report(_ diagnostics: [DiscoveryDiagnostic]) {
        guard !diagnostics.isEmpty else { return }
        let text = diagnostics.map(\.description).joined(separator: "\n") + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
