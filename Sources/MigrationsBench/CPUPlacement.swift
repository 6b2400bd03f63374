import Foundation
import MigrationsTestSupport

/// Where a single-client comparison runs relative to the Redis server, which is pinned to CPU 0.
///
/// On a small virtual machine a request/reply loop behaves very differently depending on whether client and
/// server share a core (a wake-up is a context switch, a few µs) or not (a wake-up is an inter-processor
/// interrupt to an idle vCPU, tens of µs). Left to the scheduler, a run flips between the two mid-way and a
/// ratio means nothing; so both sides of a comparison are pinned the same way, and both placements are
/// reported.
enum CPUPlacement: String, Sendable, CaseIterable {
    /// Client and server on CPU 0: the client's own overhead shows most.
    case sameCore = "same core"
    /// Server on CPU 0, client on CPU 1: closer to a server on another host.
    case separateCores = "separate cores"

    /// The CPU list the client is pinned to.
    var clientCPUs: String {
        switch self {
        case .sameCore: "0"
        case .separateCores: "1"
        }
    }

    /// The placements this machine can do: both with two or more CPUs and `taskset`, none otherwise.
    static var available: [CPUPlacement] {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2, FileManager.default.isExecutableFile(atPath: taskset)
        else { return [] }
        return allCases
    }

    /// `taskset` from util-linux.
    static let taskset = "/usr/bin/taskset"

    /// The command prefix that runs a child on this placement's client CPUs.
    var childPrefix: [String] { [Self.taskset, "-c", clientCPUs] }

    /// Pins every thread of a process to `cpus` (a `taskset` CPU list such as `0` or `0-1`).
    ///
    /// - Throws: ``BenchFailure`` when `taskset` fails.
    static func pin(_ pid: Int32, to cpus: String) async throws {
        let outcome = try await ChildProcess.run(taskset, ["-a", "-p", "-c", cpus, String(pid)], timeout: .seconds(30))
        guard outcome.status == 0 else {
            throw BenchFailure("taskset could not pin process \(pid) to CPUs \(cpus): \(outcome.standardError)")
        }
    }

    /// Pins this process to the placement's client CPUs, runs `body`, and lets it use every CPU again.
    func run<Value>(_ body: () async throws -> Value) async throws -> Value {
        let me = ProcessInfo.processInfo.processIdentifier
        let everyCPU = "0-\(ProcessInfo.processInfo.activeProcessorCount - 1)"
        try await Self.pin(me, to: clientCPUs)
        do {
            let value = try await body()
            try? await Self.pin(me, to: everyCPU)
            return value
        } catch {
            try? await Self.pin(me, to: everyCPU)
            throw error
        }
    }
}
