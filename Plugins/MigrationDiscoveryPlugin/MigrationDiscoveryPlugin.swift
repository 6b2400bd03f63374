import Foundation
import PackagePlugin

/// Generates the code that registers a target's migrations, so that adding a `*.migration.swift` file
/// is all it takes to add a migration.
///
/// Apply it to the target that holds the migrations:
///
/// ```swift
/// .executableTarget(
///     name: "App",
///     dependencies: [.product(name: "Migrations", package: "swift-migrations")],
///     plugins: [.plugin(name: "MigrationDiscoveryPlugin", package: "swift-migrations")]
/// )
/// ```
///
/// It hands every Swift file of the target (and its `migration-discovery.json`, if there is one) to
/// `MigrationDiscoveryGenerator`, which writes `DiscoveredMigrations.swift` into the build directory.
@main
struct MigrationDiscoveryPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let sources = target.sourceFiles(withSuffix: "swift").map(\.url)
        let directory = target.directoryURL
        let configuration = directory.appending(path: "migration-discovery.json")
        let hasConfiguration = FileManager.default.fileExists(atPath: configuration.path(percentEncoded: false))
        let output = context.pluginWorkDirectoryURL.appending(path: "DiscoveredMigrations.swift")

        var arguments = [
            "--target-directory", directory.path(percentEncoded: false),
            "--output", output.path(percentEncoded: false),
        ]
        if hasConfiguration { arguments += ["--configuration", configuration.path(percentEncoded: false)] }
        arguments += ["--"] + sources.map { $0.path(percentEncoded: false) }

        return [
            .buildCommand(
                displayName: "Discovering migrations in \(target.name)",
                executable: try context.tool(named: "MigrationDiscoveryGenerator").url,
                arguments: arguments,
                inputFiles: sources + (hasConfiguration ? [configuration] : []),
                outputFiles: [output]
            )
        ]
    }
}
