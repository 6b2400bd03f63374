import Foundation
import Migrations

/// `MIGRATIONS_DEMO_SLOW=SECONDS`: runs that long, ten steps a second, checking for cancellation.
struct SlowDemoMigration: Migration {
    let name = "9999-slow-demo"
    let description = "Take a while (MIGRATIONS_DEMO_SLOW seconds), for lease tests"
    let seconds: Double

    func up(_ context: MigrationContext<DemoFiles>) async throws {
        let steps = max(1, Int(seconds * 10))
        context.progress.setTotal(steps)
        for _ in 0..<steps {
            try await Task.sleep(for: .milliseconds(100))
            context.progress.increment()
        }
    }
}

/// `MIGRATIONS_DEMO_FAIL=1`: always fails.
struct FailingDemoMigration: Migration {
    let name = "9998-failing-demo"
    let description = "Always fail (MIGRATIONS_DEMO_FAIL=1), for exit-code tests"

    func up(_ context: MigrationContext<DemoFiles>) async throws {
        throw DemoError("the demo failure asked for with MIGRATIONS_DEMO_FAIL=1")
    }
}
