import ArgumentParser
import MigrationsCLI

/// `example-service`: a small service that runs its data migrations at start-up, across replicas.
@main
struct ExampleService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example-service",
        abstract: "An example service: runs pending migrations at start-up, then serves HTTP.",
        discussion: """
            EXAMPLES:
              example-service serve --port 8080
              REDIS_URL=redis://127.0.0.1:6379 example-service serve
              example-service migrate run --dry-run
              example-service migrate status
            """,
        subcommands: [Serve.self, MigrateCommand<ExampleMigrations>.self]
    )

    static func main() async {
        await MigrationsCommandLine.main(Self.self)
    }
}
