import Foundation

/// What one run of `migrations-bench` measures and where it writes the results, as ``MigrationsBench``
/// parsed them from the command line.
struct BenchOptions: Sendable {
    /// Every group of figures, in the order they run.
    static let allGroups = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "memory"]

    /// The groups to run; all of them by default.
    var groups: [String] = BenchOptions.allGroups
    /// Smaller workloads and fewer repetitions: a smoke test of the bench itself, not figures to publish.
    var quick = false
    /// How many times each side of a comparison is measured; the median is reported.
    var repetitions = 3
    /// The Python interpreter that has `redis` installed (the reference runner of P3).
    var python = "python3"
    /// The redis-py reference runner of P3.
    var referenceRunner = "Benchmarks/reference_runner.py"
    /// The operator CLI (`migrations`), whose `status --json` the memory figure measures when it is given.
    var migrationsCLI: String?
    /// Where to write the results as a Markdown section, if anywhere.
    var markdownPath: String?
    /// Where to write the results as JSON, if anywhere.
    var jsonPath: String?

    /// Whether a group of figures is to run.
    func runs(_ group: String) -> Bool { groups.contains(group) }
}
