import Foundation
import MigrationsTestSupport

/// What a finished `swift build` or fixture run printed, and how it ended.
typealias ProcessOutput = ChildProcess.Outcome

extension ChildProcess.Outcome {
    /// Both streams, output first: SwiftPM prints a build tool's diagnostics on either.
    var combined: String { standardOutput + standardError }
}

/// The `swift` driver that builds the fixture package.
enum SwiftDriver {
    /// The first `swift` on `PATH`, else `/usr/bin/swift`.
    static func locate() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/swift" } + ["/usr/bin/swift"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw FixturePackageError("no 'swift' found on PATH")
        }
        return found
    }
}

/// A failure to set up or drive the fixture package.
struct FixturePackageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
