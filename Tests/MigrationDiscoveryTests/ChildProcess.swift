import Foundation

/// What a finished child process printed, and how it ended.
struct ProcessOutput: Sendable, CustomStringConvertible {
    var status: Int32
    var standardOutput: String
    var standardError: String

    /// Both streams, output first: SwiftPM prints a build tool's diagnostics on either.
    var combined: String { standardOutput + standardError }

    var description: String {
        "exit status \(status)\n--- stdout ---\n\(standardOutput)\n--- stderr ---\n\(standardError)"
    }
}

/// Runs programs to completion, with their output captured in files (a pipe that nobody drains could
/// block a chatty `swift build`).
enum ChildProcess {
    static func run(_ executable: URL, _ arguments: [String], in directory: URL) async throws -> ProcessOutput {
        let captureDirectory = FileManager.default.temporaryDirectory.appending(path: "capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: captureDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: captureDirectory) }
        let outputURL = captureDirectory.appending(path: "stdout")
        let errorURL = captureDirectory.appending(path: "stderr")
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? error.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        let status = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return ProcessOutput(
            status: status,
            standardOutput: try String(contentsOf: outputURL, encoding: .utf8),
            standardError: try String(contentsOf: errorURL, encoding: .utf8)
        )
    }

    /// The `swift` driver: the first on `PATH`, else the toolchain's usual places.
    static func swiftDriver() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates =
            path.split(separator: ":").map { "\($0)/swift" } + ["/opt/swift/usr/bin/swift", "/usr/bin/swift"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw FixturePackageError("no 'swift' found on PATH or in /opt/swift/usr/bin")
        }
        return URL(fileURLWithPath: found)
    }
}

/// A failure to set up or drive the fixture package.
struct FixturePackageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
