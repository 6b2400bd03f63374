import Foundation
import Logging
import Migrations
import MigrationsCLI

/// The fixture's context: where its one migration writes.
struct FixtureApp: Sendable {
    let directory: String
}

/// Writes one file, so a test can see the step ran.
struct WriteGreeting: Migration {
    let name = "2025-01-01-write-greeting"
    let description = "writes greeting.txt"

    func up(_ context: MigrationContext<FixtureApp>) async throws {
        try "hello\n".write(toFile: context.app.directory + "/greeting.txt", atomically: true, encoding: .utf8)
    }
}

enum FixtureMigrations: MigrateApplication {
    static func registry(logger: Logger) throws -> MigrationRegistry<FixtureApp> {
        try MigrationRegistry([WriteGreeting()])
    }

    static func makeContext(logger: Logger) async throws -> FixtureApp {
        FixtureApp(directory: FileManager.default.currentDirectoryPath)
    }

    static func shutdown(_ context: FixtureApp, logger: Logger) async {}
}

@main
enum FileStoreFixture {
    static func main() async {
        // `file-store-fixture migrate …` runs the command and exits here.
        await MigrateCommand<FixtureMigrations>.runIfRequested()
        print("usage: file-store-fixture migrate run|status|list|…")
    }
}
