import Foundation
import MigrationsTestSupport
import RedisTestSupport

/// Memory: the peak resident set size of a process reading the status of 10,000 migrations, against the
/// same process with no migrations to read.
///
/// Two processes are measured, each against its own empty-prefix baseline:
/// - the operator CLI, `migrations status --json`, when its path is given (it finds the migrations by
///   `SCAN` and reads them in pipelined batches);
/// - this executable's `child status` mode (see ``StatusChild``): `MigrationRunner.status` over a registry
///   of 10,000, that is one `RedisStateStore.states` call, plus the JSON encoding.
///
/// Both read the key space P2 seeded. Peak RSS comes from `/usr/bin/time -v` when it is installed and from
/// the child's own `VmHWM` otherwise (the CLI needs `/usr/bin/time`).
struct MemoryBenchmark {
    let server: RedisServer
    let migrationCount: Int
    let migrationsCLI: String?

    private static let timeTool = "/usr/bin/time"

    func run() async throws -> [Figure] {
        var figures: [Figure] = []
        let count = Format.number(Double(migrationCount))
        if let cli = migrationsCLI {
            if FileManager.default.isExecutableFile(atPath: cli),
                FileManager.default.isExecutableFile(atPath: Self.timeTool)
            {
                let arguments = { (prefix: String) in
                    [cli, "status", "--json", "--redis-url", server.url, "--prefix", prefix]
                }
                let loaded = try await peakResident(arguments(StatusBenchmark.prefix), expectingOutput: true)
                let baseline = try await peakResident(arguments("p2-nothing-here"), expectingOutput: true)
                figures.append(
                    figure(
                        "peak RSS of `migrations status --json` over \(count) migrations", loaded, baseline,
                        reference: "same command, no migrations",
                        note: "the operator CLI (SCAN, pipelined batches), built in the same release build"))
            } else {
                throw BenchFailure("\(cli) or \(Self.timeTool) is not executable")
            }
        }
        let child = [
            ChildProcess.currentExecutable, "child", "status", "--url", server.url, "--prefix", StatusBenchmark.prefix,
        ]
        let loaded = try await peakResident(child + ["--count", String(migrationCount)], expectingOutput: false)
        let baseline = try await peakResident(child + ["--count", "0"], expectingOutput: false)
        figures.append(
            figure(
                "peak RSS of `MigrationRunner.status` over \(count) migrations", loaded, baseline,
                reference: "same process, 0 migrations",
                note: "a child process of the bench: one `RedisStateStore.states` call and the JSON encoding"
                    + (migrationsCLI == nil ? "; the `migrations` CLI was not given, so only this was measured" : "")))
        return figures
    }

    private struct Peak {
        var kilobytes: Int
        var tool: String
    }

    private func figure(_ measure: String, _ loaded: Peak, _ baseline: Peak, reference: String, note: String) -> Figure
    {
        let perMigration = Double(loaded.kilobytes - baseline.kilobytes) * 1024 / Double(migrationCount)
        return Figure(
            "Memory", measure,
            ours: String(format: "%.1f MiB", Double(loaded.kilobytes) / 1024),
            reference: String(format: "\(reference): %.1f MiB", Double(baseline.kilobytes) / 1024),
            ratio: Format.ratio(Double(loaded.kilobytes) / Double(max(1, baseline.kilobytes))),
            target: "—", met: nil,
            note: "\(note); \(loaded.tool); ≈ \(Format.number(perMigration)) bytes a migration above the baseline")
    }

    /// Runs `command` under `/usr/bin/time -v` (or alone, reading the child's `VmHWM`) and returns its peak RSS.
    private func peakResident(_ command: [String], expectingOutput: Bool) async throws -> Peak {
        let useTime = FileManager.default.isExecutableFile(atPath: Self.timeTool)
        let child =
            useTime
            ? try await ChildProcess.launch(Self.timeTool, ["-v"] + command)
            : try await ChildProcess.launch(command[0], Array(command.dropFirst()))
        guard let status = (try? await child.wait(timeout: .seconds(120)))?.status, status == 0 else {
            throw BenchFailure(
                "\(command.prefix(3).joined(separator: " ")) failed: \(child.standardError.suffix(2000))")
        }
        if useTime {
            for line in child.standardError.split(separator: "\n") where line.contains("Maximum resident set size") {
                if let value = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
                {
                    return Peak(kilobytes: value, tool: "/usr/bin/time -v (maximum resident set size)")
                }
            }
        }
        let line = child.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
        guard !expectingOutput || !line.isEmpty,
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let kilobytes = object["vmhwmKB"] as? Int
        else {
            throw BenchFailure("could not read the peak RSS of \(command.prefix(3).joined(separator: " "))")
        }
        return Peak(kilobytes: kilobytes, tool: "VmHWM of the child")
    }
}
