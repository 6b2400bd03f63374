import Foundation
import MigrationsTestSupport
import Testing

/// A copy of one package of `Tests/Fixtures` in a temporary directory, depending on this repository by
/// absolute path, built with one scratch path that every build of the suite reuses.
///
/// Each fixture is a package named like its directory, with one executable target of the same name.
final class FixturePackage: Sendable {
    /// The fixture in use by the running suite; see ``FixturePackageTrait``.
    @TaskLocal static var current: FixturePackage?

    /// The temporary directory holding the package copy and the scratch path.
    let root: URL
    /// The package copy.
    let directory: URL
    /// The shared build directory.
    let scratchPath: URL

    /// The repository holding this file, found from the file's own path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The discovery fixture's migrations directory, relative to the package.
    static let migrationsDirectory = "Sources/DiscoveryFixture/Migrations"

    /// The fixture's name: its directory, package and executable.
    let name: String

    private init(name: String, root: URL) {
        self.name = name
        self.root = root
        self.directory = root.appending(path: name)
        self.scratchPath = root.appending(path: "scratch")
    }

    /// Copies the fixture `name` and points its dependency at this repository.
    ///
    /// - Parameter name: The directory of the fixture under `Tests/Fixtures`.
    static func make(_ name: String) throws -> FixturePackage {
        let root = FileManager.default.temporaryDirectory.appending(path: "fixture-package-\(UUID().uuidString)")
        let fixture = FixturePackage(name: name, root: root)
        let source = repositoryRoot.appending(path: "Tests/Fixtures/\(name)")
        try FileManager.default.createDirectory(at: fixture.directory, withIntermediateDirectories: true)
        for item in ["Package.swift", "Sources"] {
            try FileManager.default.copyItem(
                at: source.appending(path: item), to: fixture.directory.appending(path: item))
        }
        let manifestURL = fixture.directory.appending(path: "Package.swift")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
        let relative = #"path: "../../..""#
        guard manifest.contains(relative) else {
            throw FixturePackageError("the fixture's manifest no longer says \(relative)")
        }
        let absolute = #"path: "\#(repositoryRoot.path(percentEncoded: false))""#
        try manifest.replacingOccurrences(of: relative, with: absolute).write(
            to: manifestURL, atomically: true, encoding: .utf8)
        return fixture
    }

    /// Removes the copy and its builds.
    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    // MARK: - Files

    /// Writes a file of the package, creating its directory.
    func write(_ contents: String, to path: String) throws {
        let url = directory.appending(path: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Removes a file of the package.
    func delete(_ path: String) throws {
        try FileManager.default.removeItem(at: directory.appending(path: path))
    }

    /// Reads a file of the package.
    func read(_ path: String) throws -> String {
        try String(contentsOf: directory.appending(path: path), encoding: .utf8)
    }

    // MARK: - Building and running

    /// Runs `swift build` on the package.
    ///
    /// A build whose `swift-build` itself crashed (the toolchain's backtracer says "Program crashed", as it
    /// did once under a loaded CI machine with a signal 11 while linking the plugin's tool) is run again,
    /// twice at most: that is SwiftPM failing, not the plugin. A compile error is never retried.
    func build() async throws -> ProcessOutput {
        var attempt = 0
        while true {
            let output = try await ChildProcess.run(
                try SwiftDriver.locate(),
                ["build", "--scratch-path", scratchPath.path(percentEncoded: false)],
                directory: directory.path(percentEncoded: false),
                timeout: .seconds(900)
            )
            attempt += 1
            let toolchainCrashed = output.status != 0 && output.standardError.contains("*** Program crashed")
            guard toolchainCrashed, attempt < 3 else { return output }
        }
    }

    /// Builds the package, failing the test with the build's output if it fails.
    func buildSuccessfully(sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProcessOutput {
        let output = try await build()
        try #require(output.status == 0, "the fixture should build:\n\(output)", sourceLocation: sourceLocation)
        return output
    }

    /// The built fixture executable.
    var executable: String {
        scratchPath.appending(path: "debug/\(name)").path(percentEncoded: false)
    }

    /// Runs the built fixture executable.
    ///
    /// - Parameters:
    ///   - arguments: Its arguments.
    ///   - environment: Its whole environment; `nil` inherits this process's.
    func run(_ arguments: String..., environment: [String: String]? = nil) async throws -> ProcessOutput {
        try await ChildProcess.run(
            executable, arguments, environment: environment, directory: directory.path(percentEncoded: false))
    }

    /// The migration names the built fixture prints, in run order.
    func discoveredNames() async throws -> [String] {
        let output = try await run()
        try #require(output.status == 0, "the fixture should run:\n\(output)")
        return output.standardOutput.split(separator: "\n").map(String.init)
    }

    /// Writes a file for the duration of `body`, then removes it, whatever `body` does.
    func withFile<Result>(
        _ path: String,
        _ contents: String,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try write(contents, to: path)
        do {
            let result = try await body()
            try delete(path)
            return result
        } catch {
            try? delete(path)
            throw error
        }
    }
}

/// Gives a suite one ``FixturePackage``, made before its first test and removed after its last.
struct FixturePackageTrait: SuiteTrait, TestScoping {
    /// The fixture's directory under `Tests/Fixtures`.
    let name: String

    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let fixture = try FixturePackage.make(name)
        defer { fixture.remove() }
        try await FixturePackage.$current.withValue(fixture) { try await function() }
    }
}

extension Trait where Self == FixturePackageTrait {
    /// A copy of the fixture package `name`, shared by the suite's tests.
    ///
    /// - Parameter name: The fixture's directory under `Tests/Fixtures`.
    static func fixturePackage(_ name: String) -> Self { Self(name: name) }
}
