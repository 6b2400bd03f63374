import Foundation
import MigrationsTestSupport
import RedisClient
import RedisTestSupport

/// P1: our `RedisConnection` doing SET and GET, one at a time and pipelined 16 deep, against
/// `redis-benchmark -c 1 -P 1|16 -t set,get` on the same server, in the same run.
///
/// Both sides use one connection, the same key (`key:__rand_int__`, redis-benchmark's default without
/// `-r`) and a 3-byte value (its default `-d 3`), and are pinned to the same CPUs (see ``CPUPlacement``).
/// Each side is measured `repetitions` times, alternately, and the medians are compared.
///
/// Our side is measured twice: as any caller uses it (each call moves the task to the connection's
/// thread and back), and from a task that runs on the connection's thread for the whole loop
/// (`withTaskExecutorPreference(connection.executor)`), where no call moves it.
struct ClientRoundTripBenchmark {
    let server: RedisServer
    let requests: Int
    let repetitions: Int
    let placement: CPUPlacement?

    func run() async throws -> [Figure] {
        let connection = try await RedisConnection(configuration: server.configuration())
        defer { connection.close() }
        try await warmUp(connection)
        let placed = placement.map { ", \($0.rawValue)" } ?? ""
        var figures: [Figure] = []
        for depth in [1, 16] {
            var ours: [String: [Double]] = [:]
            var reference: [String: [Double]] = [:]
            for _ in 0..<repetitions {
                for (command, rate) in try await redisBenchmark(depth: depth) {
                    reference[command, default: []].append(rate)
                }
                for command in ["SET", "GET"] {
                    for staying in [false, true] {
                        let rate = try await ourRate(command, depth: depth, on: connection, staying: staying)
                        ours["\(command) \(staying)", default: []].append(rate)
                    }
                }
            }
            for command in ["SET", "GET"] {
                for staying in [false, true] {
                    let rates = ours["\(command) \(staying)"] ?? [0]
                    let ourRate = Measurement.median(rates)
                    let referenceRate = Measurement.median(reference[command] ?? [0])
                    let ratio = referenceRate > 0 ? ourRate / referenceRate : 0
                    let floor = depth == 1 ? 0.95 : 0.9
                    let shape = depth == 1 ? "\(command), one at a time" : "\(command), pipelined 16 deep"
                    figures.append(
                        Figure(
                            "P1", shape + (staying ? ", from the connection's thread" : "") + placed,
                            ours: "\(Format.number(ourRate)) req/s",
                            reference: "redis-benchmark -c 1 -P \(depth): \(Format.number(referenceRate)) req/s",
                            ratio: Format.ratio(ratio), target: "≥ \(floor)×", met: ratio >= floor,
                            note: "\(Format.number(Double(requests))) requests a side, median of \(repetitions) "
                                + "(ours \(Format.number(rates.min() ?? 0))–\(Format.number(rates.max() ?? 0)))"))
                }
            }
        }
        return figures
    }

    // MARK: - Our client

    private func warmUp(_ connection: RedisConnection) async throws {
        for _ in 0..<2_000 { try await connection.send(["SET", "key:__rand_int__", "xxx"]) }
    }

    /// Requests per second for `requests` commands sent `depth` at a time; with `staying`, from a task
    /// that runs on the connection's thread throughout.
    private func ourRate(_ command: String, depth: Int, on connection: RedisConnection, staying: Bool)
        async throws -> Double
    {
        let single: [String] = command == "SET" ? ["SET", "key:__rand_int__", "xxx"] : ["GET", "key:__rand_int__"]
        let batch = Array(repeating: single, count: depth)
        let calls = requests / depth
        let elapsed = try await Measurement.time {
            try await withTaskExecutorPreference(staying ? connection.executor : nil) {
                if depth == 1 {
                    for _ in 0..<calls { blackhole(try await connection.send(single)) }
                } else {
                    for _ in 0..<calls { blackhole(try await connection.pipeline(batch)) }
                }
            }
        }
        return Double(calls * depth) / elapsed.seconds
    }

    // MARK: - The reference

    /// Runs `redis-benchmark -q` and reads its `SET: 41234.56 requests per second` lines.
    private func redisBenchmark(depth: Int) async throws -> [String: Double] {
        let outcome = try await ChildProcess.run(
            "/usr/bin/env",
            (placement?.childPrefix ?? []) + [
                "redis-benchmark", "-h", "127.0.0.1", "-p", String(server.port), "-c", "1", "-P", String(depth),
                "-t", "set,get", "-n", String(requests), "-q",
            ],
            timeout: .seconds(600))
        guard outcome.status == 0 else {
            throw BenchFailure("redis-benchmark exited with status \(outcome.status): \(outcome.standardError)")
        }
        var rates: [String: Double] = [:]
        let text = outcome.standardOutput
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let parts = line.split(separator: " ")
            guard parts.count >= 4, parts[2] == "requests", parts[0].hasSuffix(":"),
                let rate = Double(parts[1])
            else { continue }
            rates[String(parts[0].dropLast())] = rate
        }
        guard rates["SET"] != nil, rates["GET"] != nil else {
            throw BenchFailure("could not read redis-benchmark's output: \(text)")
        }
        return rates
    }
}
