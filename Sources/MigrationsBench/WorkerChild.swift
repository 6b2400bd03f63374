import Foundation
import Migrations
import MigrationsRedis
import RedisClient

/// `migrations-bench child worker`: one replica of the fleet (P4) or the lease holder (P5).
///
/// ```
/// migrations-bench child worker --url URL --prefix P --stem S --count N [--step-ms N] [--ttl-ms N] [--only NAME]
/// ```
///
/// Registers `<stem>-00000` … whose `up` counts its execution (`INCR <prefix>-count:<name>`,
/// `RPUSH <prefix>-runs:<name> <pid>`) and then sleeps `--step-ms`; runs them all with `runPending`, or
/// one with `run`. Prints one result JSON a line. Exits 0 when nothing failed, 1 when something did, 3
/// when the run was refused or Redis failed.
enum WorkerChild {
    static func run(_ arguments: ChildArguments) async -> Int32 {
        do {
            let url = try arguments.string("url")
            let prefix = try arguments.string("prefix")
            let names = BenchFixtures.names(
                try arguments.string("stem"), count: try arguments.integer("count", default: 1))
            let step = Duration.milliseconds(try arguments.integer("step-ms", default: 0))
            let timeToLive = Duration.milliseconds(try arguments.integer("ttl-ms", default: 30_000))
            let configuration = try RedisConfiguration(url: url)
            let backend = try await RedisMigrationBackend.connect(
                configuration: configuration, keys: RedisMigrationKeys(prefix: prefix), leaseTimeToLive: timeToLive)
            let app = BenchApp(counter: try await RedisConnection(configuration: configuration), counterPrefix: prefix)
            let runner = BenchFixtures.runner(try BenchFixtures.registry(names, step: step), backend: backend)
            let results: [MigrationResult]
            if let only = arguments.optional("only") {
                results = [try await runner.run(only, context: app)]
            } else {
                results = try await runner.runPending(context: app)
            }
            var output = ""
            for result in results { output += String(decoding: try result.jsonData(), as: UTF8.self) + "\n" }
            FileHandle.standardOutput.write(Data(output.utf8))
            return results.contains(where: \.isFailure) ? 1 : 0
        } catch {
            FileHandle.standardError.write(Data("worker: \(error)\n".utf8))
            return 3
        }
    }
}
