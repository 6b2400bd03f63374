import Foundation
import MigrationsTestSupport

/// The built executables of this package (`migrations`, `migrations-demo`) run as real child processes
/// with an environment that cannot change the tools' behaviour behind the test's back.
enum CLIProcess {
    typealias Outcome = ChildProcess.Outcome

    /// The environment children get: this process's, without `REDIS_URL`, `NO_COLOR` and the demo's
    /// switches, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["REDIS_URL", "NO_COLOR", "MIGRATIONS_DEMO_SLOW", "MIGRATIONS_DEMO_FAIL", "MIGRATIONS_DEMO_DIR"] {
            environment[name] = nil
        }
        environment["MIGRATIONS_DEMO_DELAY_MS"] = "0"
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// Starts an executable and returns at once.
    static func launch(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        directory: String
    ) async throws -> ChildProcess {
        try await ChildProcess.launch(
            executable, arguments, environment: Self.environment(environment), directory: directory)
    }

    /// Runs an executable to completion, killing it after `timeout`.
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        directory: String,
        timeout: Duration = .seconds(60)
    ) async throws -> Outcome {
        try await launch(executable, arguments, environment: environment, directory: directory).wait(timeout: timeout)
    }
}

typealias CLITimeout = ChildProcess.Timeout
