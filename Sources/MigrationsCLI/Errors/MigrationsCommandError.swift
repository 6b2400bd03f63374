/// A failure of a `migrate` or `migrations` command, with the exit code the process ends with.
///
/// Commands print ``message`` as one line on standard error and exit with ``exitCode``:
///
/// | code | exit | meaning |
/// |---|---|---|
/// | ``Code-swift.struct/failed`` | 1 | a migration failed, or an operation did not succeed |
/// | ``Code-swift.struct/refused`` | 1 | the run was refused: held elsewhere, no `down` step, not completed… |
/// | ``Code-swift.struct/usage`` | 2 | the command line is wrong: unknown option, unknown migration, bad URL |
/// | ``Code-swift.struct/unavailable`` | 3 | Redis cannot be reached or refused the credentials |
/// | ``Code-swift.struct/leaseHeld`` | 4 | the lease is still held by a live holder (`migrations unlock` without `--force`) |
/// | ``Code-swift.struct/interrupted`` | 5 | interrupted by `SIGINT`/`SIGTERM`: cancelled while waiting (nothing recorded) or while running (recorded as cancelled) |
///
/// ```swift
/// throw MigrationsCommandError(.usage, "--state-dir applies to the file store only; drop --redis-url")
/// ```
public struct MigrationsCommandError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, which decides the exit code.
    public var code: Code
    /// One line for the person at the terminal: what went wrong and, where possible, what to do.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: One readable line; it must not contain a password.
    ///   - cause: The underlying error, if any.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The process exit code for this failure.
    public var exitCode: Int32 { code.exitCode }

    /// The message.
    public var description: String { message }
}

// MARK: - Code

extension MigrationsCommandError {
    /// The kind of a ``MigrationsCommandError``; a struct over a private enum, so codes can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case failed, refused, usage, unavailable, leaseHeld, interrupted, paused, cancelled
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// A migration failed, or an operation did not succeed. Exit code 1.
        public static let failed = Code(.failed)
        /// A run or operation was refused: held elsewhere, not supported, nothing to do. Exit code 1.
        public static let refused = Code(.refused)
        /// The command line is wrong. Exit code 2.
        public static let usage = Code(.usage)
        /// Redis cannot be reached, or it refused the credentials. Exit code 3.
        public static let unavailable = Code(.unavailable)
        /// A live holder still renews the lease. Exit code 4.
        public static let leaseHeld = Code(.leaseHeld)
        /// The run was interrupted (`SIGINT`, `SIGTERM`, a graceful shutdown): exit code 5.
        public static let interrupted = Code(.interrupted)
        /// A run stopped at a migration an operator paused. Exit code 6.
        public static let paused = Code(.paused)
        /// An operator cancelled a migration of the run. Exit code 7.
        public static let cancelled = Code(.cancelled)

        /// The process exit code: 1 to 7.
        public var exitCode: Int32 {
            switch wrapped {
            case .failed, .refused: MigrationsExitCode.failure
            case .usage: MigrationsExitCode.usage
            case .unavailable: MigrationsExitCode.unavailable
            case .leaseHeld: MigrationsExitCode.leaseHeld
            case .interrupted: MigrationsExitCode.interrupted
            case .paused: MigrationsExitCode.paused
            case .cancelled: MigrationsExitCode.cancelled
            }
        }

        /// A short name, such as `usage`.
        public var description: String {
            switch wrapped {
            case .failed: "failed"
            case .refused: "refused"
            case .usage: "usage"
            case .unavailable: "unavailable"
            case .leaseHeld: "lease-held"
            case .interrupted: "interrupted"
            case .paused: "paused"
            case .cancelled: "cancelled"
            }
        }
    }
}

/// The exit codes of the `migrate` and `migrations` commands.
public enum MigrationsExitCode {
    /// Everything asked for was done.
    public static let success: Int32 = 0
    /// A migration failed, or the run or operation was refused.
    public static let failure: Int32 = 1
    /// The command line is wrong: an unknown option or migration, a bad value or URL, a missing `--yes`.
    public static let usage: Int32 = 2
    /// Redis cannot be reached, or refused the credentials.
    public static let unavailable: Int32 = 3
    /// `migrations unlock` without `--force` found the lease still renewed by its holder.
    public static let leaseHeld: Int32 = 4
    /// Interrupted by `SIGINT` or `SIGTERM`: a run cancelled while it waited for another holder's lease
    /// (nothing ran, nothing was recorded), or a running migration cancelled (recorded as cancelled).
    public static let interrupted: Int32 = 5
    /// A run stopped at a migration an operator paused (`migrations pause`): nothing failed; it goes on
    /// from its checkpoint after `migrations resume`.
    public static let paused: Int32 = 6
    /// An operator cancelled a migration of the run (`migrations cancel`): recorded as cancelled, with
    /// its checkpoint kept for a later run.
    public static let cancelled: Int32 = 7

    /// The exit-code table as it appears at the end of every command's `--help`.
    /// The exit codes of an application's embedded `migrate` command, for its help text.
    public static let migrateHelpText = """
        EXIT CODES:
          0  success
          1  a migration failed, or the run was refused (held elsewhere, no down step, not completed)
          2  usage error (unknown option or migration, bad value or URL)
          3  Redis unreachable, or it refused the credentials
          5  interrupted by SIGINT/SIGTERM (while waiting: nothing ran or was recorded;
             while running: the migration was cancelled and recorded as cancelled)
          6  stopped at a paused migration (migrations resume NAME lets it go on)
          7  an operator cancelled a migration (migrations cancel); its checkpoint is kept
        """

    /// The exit codes of the `migrations` operator tool, for its help text.
    public static let helpText = """
        EXIT CODES:
          0  success
          1  a migration failed, or the run or operation was refused
          2  usage error (unknown option or migration, bad value or URL, missing --yes)
          3  Redis unreachable, or it refused the credentials
          4  the lease is still held by a live holder (unlock without --force)
          5  interrupted by SIGINT/SIGTERM (while waiting: nothing ran or was recorded;
             while running: the migration was cancelled and recorded as cancelled)
        """
}
