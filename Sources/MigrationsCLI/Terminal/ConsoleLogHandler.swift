import Foundation
import Logging
import Migrations

/// A log handler that writes through a ``TerminalConsole``, so log lines appear above the progress bars.
///
/// Lines read `15:04:05 warning [migration.name=…] validation warning: …`, the level coloured. The message
/// and every metadata key and value are escaped with ``VisibleText/escaping(_:)`` first, so a migration's
/// name or error holding control characters cannot drive the terminal or break the line. It honours a
/// `metadataProvider` as swift-log's own handlers do: the provider's metadata comes first, the logger's and
/// the line's own override it.
struct ConsoleLogHandler: LogHandler {
    let console: TerminalConsole
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    /// Metadata added to every line from the task's context (a trace id, a request id), the logging
    /// system's provider by default.
    var metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let provided = metadataProvider?.get() ?? [:]
        let merged = provided.merging(metadata) { _, new in new }.merging(event.metadata ?? [:]) { _, new in new }
        let details = merged.sorted { $0.key < $1.key }
            .map { entry in VisibleText.escaping(entry.key) + "=" + VisibleText.escaping(entry.value.description) }
            .joined(separator: " ")
        let time = Date().formatted(.iso8601.time(includingFractionalSeconds: false).timeSeparator(.colon))
        let level = console.style.apply(Self.attribute(for: event.level), event.level.rawValue)
        let context = details.isEmpty ? "" : " [\(details)]"
        let message = VisibleText.escaping(event.message.description)
        console.print("\(time) \(level)\(context) \(message)\n")
    }

    private static func attribute(for level: Logger.Level) -> TerminalStyle.Attribute? {
        switch level {
        case .trace, .debug: .dim
        case .info, .notice: .cyan
        case .warning: .yellow
        case .error, .critical: .red
        }
    }
}
