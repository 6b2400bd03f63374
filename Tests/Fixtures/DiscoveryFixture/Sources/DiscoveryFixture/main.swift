import Logging
import Migrations

// Prints the discovered migrations' names, one a line, in run order.
// With --debug, the registry's debug logger writes the discovery report to standard error.
let debugLogger =
    CommandLine.arguments.contains("--debug")
    ? Logger(label: "discovery-fixture") { StreamLogHandler.standardError(label: $0) }
    : nil
let registry = try MigrationRegistry<FixtureApp>.discovered(debugLogger: debugLogger)
for name in registry.names {
    print(name)
}
