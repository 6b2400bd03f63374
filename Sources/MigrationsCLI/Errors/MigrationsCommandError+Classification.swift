import Foundation
import Migrations

#if Redis
    import RedisClient
#endif

extension MigrationsCommandError {
    /// Turns any error a command meets into a ``MigrationsCommandError`` with the right exit code.
    ///
    /// - `MigrationError`: unknown or invalid names and unusable settings are usage errors; refusals
    ///   (already running, held elsewhere, no `down`, not completed, lease lost) are ``Code-swift.struct/refused``;
    ///   a store or lease failure caused by an unreachable Redis is ``Code-swift.struct/unavailable``.
    /// - `RedisError`: an invalid URL is a usage error; transport and authentication failures are
    ///   ``Code-swift.struct/unavailable``.
    ///
    /// - Parameters:
    ///   - error: The error.
    ///   - redisURL: The redacted URL of the Redis in use, named in connection failures.
    /// - Returns: The classified error; its message is one line.
    public static func classify(_ error: any Error, redisURL: String? = nil) -> MigrationsCommandError {
        switch error {
        case let error as MigrationsCommandError:
            return error
        case let error as MigrationError:
            return classify(error, redisURL: redisURL)
        default:
            #if Redis
                if let error = error as? RedisError { return classify(error, redisURL: redisURL) }
            #endif
            return MigrationsCommandError(.failed, oneLine(String(describing: error)))
        }
    }

    private static func classify(_ error: MigrationError, redisURL: String?) -> MigrationsCommandError {
        #if Redis
            if let redisError = error.cause as? RedisError, isUnavailable(redisError) {
                return MigrationsCommandError(.unavailable, oneLine(error.message), cause: error)
            }
        #endif
        let code: Code =
            switch error.code {
            case .unknownMigration, .invalidName, .invalidConfiguration, .duplicateName: .usage
            case .alreadyRunning, .heldElsewhere, .rollbackNotSupported, .notCompleted, .leaseLost, .controlRefused:
                .refused
            case .cancelled: .interrupted
            default: .failed
            }
        return MigrationsCommandError(code, oneLine(error.message), cause: error)
    }

    #if Redis
        private static func classify(_ error: RedisError, redisURL: String?) -> MigrationsCommandError {
            let place = redisURL.map { " at \($0)" } ?? ""
            if error.code == .invalidURL {
                return MigrationsCommandError(.usage, oneLine(error.message), cause: error)
            }
            if error.code == .authenticationFailed {
                return MigrationsCommandError(
                    .unavailable, oneLine("Redis\(place) refused the credentials: \(error.message)"), cause: error)
            }
            if error.isTransport {
                return MigrationsCommandError(
                    .unavailable, oneLine("cannot reach Redis\(place): \(error.message)"), cause: error)
            }
            return MigrationsCommandError(.failed, oneLine("Redis\(place): \(error.message)"), cause: error)
        }

        private static func isUnavailable(_ error: RedisError) -> Bool {
            error.isTransport || error.code == .authenticationFailed
        }
    #endif

    /// Joins the lines of a message, so an error is always one line on standard error.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
