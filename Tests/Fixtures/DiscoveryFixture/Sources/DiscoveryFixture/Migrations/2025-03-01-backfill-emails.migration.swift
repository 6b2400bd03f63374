import Migrations

/// Backfills e-mail addresses. Its name is computed, so only the registry can check it.
struct BackfillEmails: Migration {
    typealias Context = FixtureApp

    var name: String { "2025-03-01-" + "backfill-emails" }
    var batchSize = 500  // a stored property with a default keeps the implicit init()

    func up(_ context: MigrationContext<Context>) async throws {
        context.progress.setTotal(batchSize)
    }
}
