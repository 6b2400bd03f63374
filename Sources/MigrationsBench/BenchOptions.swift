import Foundation

/// What one run of `migrations-bench` measures and where it writes the results.
///
/// ```
/// migrations-bench [--quick] [--only p1,p3,memory] [--repetitions N]
///                  [--python PATH] [--reference-runner PATH] [--migrations-cli PATH]
///                  [--markdown PATH] [--json PATH]
/// ```
struct BenchOptions: Sendable {
    /// Every group of figures, in the order they run.
    static let allGroups = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "memory"]

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

    /// Parses the command line (without the executable's name).
    ///
    /// - Throws: ``BenchUsageError`` naming the unknown or incomplete option.
    static func parse(_ arguments: [String]) throws(BenchUsageError) -> BenchOptions {
        var options = BenchOptions()
        var remaining = arguments[...]
        func value(for flag: String) throws(BenchUsageError) -> String {
            guard let next = remaining.popFirst() else { throw BenchUsageError("\(flag) needs a value") }
            return next
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--quick":
                options.quick = true
                options.repetitions = 1
            case "--only":
                let groups = try value(for: argument).lowercased().split(separator: ",").map(String.init)
                if let unknown = groups.first(where: { !allGroups.contains($0) }) {
                    throw BenchUsageError("unknown group '\(unknown)'; known: \(allGroups.joined(separator: ", "))")
                }
                options.groups = allGroups.filter(groups.contains)
            case "--repetitions":
                guard let count = Int(try value(for: argument)), count > 0 else {
                    throw BenchUsageError("--repetitions needs a positive whole number")
                }
                options.repetitions = count
            case "--python": options.python = try value(for: argument)
            case "--reference-runner": options.referenceRunner = try value(for: argument)
            case "--migrations-cli": options.migrationsCLI = try value(for: argument)
            case "--markdown": options.markdownPath = try value(for: argument)
            case "--json": options.jsonPath = try value(for: argument)
            case "--help", "-h": throw BenchUsageError(nil)
            default: throw BenchUsageError("unknown option '\(argument)'")
            }
        }
        return options
    }

    /// Whether a group of figures is to run.
    func runs(_ group: String) -> Bool { groups.contains(group) }
}

/// A mistake on the command line, with the usage text.
struct BenchUsageError: Error, CustomStringConvertible {
    /// What was wrong, or `nil` when help was asked for.
    let problem: String?

    init(_ problem: String?) { self.problem = problem }

    /// The problem followed by the usage text.
    var description: String {
        let usage = """
            usage: migrations-bench [--quick] [--only GROUPS] [--repetitions N] [--python PATH]
                                    [--reference-runner PATH] [--migrations-cli PATH]
                                    [--markdown PATH] [--json PATH]

              GROUPS is a comma-separated list of: \(BenchOptions.allGroups.joined(separator: ", "))
              Starts its own redis-server on a free loopback port; needs redis-server and redis-benchmark
              in PATH, and a Python with the `redis` package for P3 (Benchmarks/run.sh sets all of this up).
            """
        return problem.map { "error: \($0)\n\n\(usage)" } ?? usage
    }
}
