import Foundation
import HTTPTypes
public import Hummingbird

/// How long a request that starts a run waits for it: `?wait=true` for as long as it takes, `Prefer:
/// wait=N` (RFC 7240) for up to `N` seconds, otherwise not at all (`202 Accepted` with the run's ticket).
public enum RunWaitPreference: Sendable, Equatable {
    /// Answer `202 Accepted` at once.
    case none
    /// Wait until the run ends and answer its result, as a synchronous endpoint does.
    case untilFinished
    /// Wait up to this long; answer `202 Accepted` if the run is still going then.
    case upTo(Duration)

    /// The preference of a request: `?wait=true` (or `1`) wins over `Prefer: wait=N`; `?wait=false` or no
    /// preference is ``none``.
    ///
    /// - Parameter request: The request.
    /// - Throws: ``MigrationsAPIError`` (400) for a `wait` parameter or `Prefer: wait` that is not a
    ///   boolean or a number of seconds.
    public init(_ request: Request) throws(MigrationsAPIError) {
        if let value = request.uri.queryParameters["wait"].map(String.init) {
            switch value.lowercased() {
            case "true", "1", "": self = .untilFinished
            case "false", "0": self = .none
            default:
                throw MigrationsAPIError(
                    status: .badRequest, code: "bad-request",
                    message: "the 'wait' parameter must be true or false, not '\(EchoedInput.capped(value))'")
            }
            return
        }
        for preference in request.headers[values: Self.prefer].flatMap({ $0.split(separator: ",") }) {
            let parts = preference.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: CharacterSet.whitespaces)
            }
            guard parts.first?.lowercased() == "wait", parts.count == 2 else { continue }
            guard let seconds = Double(parts[1]), seconds >= 0, seconds <= 86_400 else {
                throw MigrationsAPIError(
                    status: .badRequest, code: "bad-request",
                    message:
                        "'Prefer: wait=\(EchoedInput.capped(parts[1]))': wait takes a number of seconds, 0 to 86400")
            }
            self = .upTo(.milliseconds(Int64(seconds * 1000)))
            return
        }
        self = .none
    }

    /// `Prefer` (RFC 7240).
    static let prefer = HTTPField.Name("Prefer")!
    /// `Preference-Applied` (RFC 7240), on an answer that honoured `Prefer: wait`.
    static let preferenceApplied = HTTPField.Name("Preference-Applied")!
}
