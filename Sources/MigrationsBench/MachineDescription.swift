import Foundation
import MigrationsTestSupport

/// The machine a run measured: what BENCHMARKS.md must state next to the figures.
struct MachineDescription: Sendable, Codable {
    /// Online processors (`nproc`).
    var processors: Int
    /// The CPU model from `/proc/cpuinfo`.
    var cpuModel: String
    /// Physical memory.
    var memoryGiB: Double
    /// The kernel (`uname -sr`).
    var kernel: String
    /// The `redis-server --version` line.
    var redisServer: String
    /// `/proc/loadavg` when the run started: other work on the machine skews every figure.
    var loadAtStart: String

    /// Describes this machine.
    static func current() async -> MachineDescription {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let system = withUnsafeBytes(of: name.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return MachineDescription(
            processors: ProcessInfo.processInfo.activeProcessorCount,
            cpuModel: model,
            memoryGiB: Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824,
            kernel: "\(system) \(release)",
            redisServer: await Self.firstLine(of: ["redis-server", "--version"]),
            loadAtStart: currentLoad())
    }

    /// The 1-, 5- and 15-minute load averages from `/proc/loadavg`.
    static func currentLoad() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The first line a command prints, or `unknown`.
    static func firstLine(of command: [String]) async -> String {
        guard let outcome = try? await ChildProcess.run("/usr/bin/env", command, timeout: .seconds(30)) else {
            return "unknown"
        }
        return outcome.standardOutput.split(separator: "\n").first.map(String.init) ?? "unknown"
    }
}
