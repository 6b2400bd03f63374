package import Logging
import Migrations

/// Wraps swift-log's `StreamLogHandler` for output that is not a terminal (a pipe, a log collector) and
/// escapes the message and every metadata value with ``VisibleText/escaping(_:)`` first, so a name or an
/// error text holding control characters or bidi overrides never reaches a reader's terminal raw.
///
/// The embedded `migrate` logs through it when standard error is not a terminal, and `example-service
/// serve` always does.
package struct EscapingLogHandler: LogHandler {
    private var wrapped: StreamLogHandler

    /// Wraps `wrapped`.
    ///
    /// - Parameter wrapped: The handler that writes the line.
    package init(_ wrapped: StreamLogHandler) {
        self.wrapped = wrapped
    }

    package var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    package var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    package var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    package func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: VisibleText.escaping(event.message.description))
        event.metadata = event.metadata?.mapValues { .string(VisibleText.escaping($0.description)) }
        var handler = wrapped
        handler.metadata = wrapped.metadata.mapValues { .string(VisibleText.escaping($0.description)) }
        handler.log(event: event)
    }
}
