public import ArgumentParser
import Foundation
import Migrations

/// Runs a command tree with the exit codes and error lines of ``MigrationsExitCode``.
///
/// ArgumentParser's own `main()` exits with 64 for a usage error and prints errors as it finds them;
/// this entry point maps usage errors to 2, turns every failure into one readable line on standard error
/// (never a stack trace, never a password, never a raw control character: an ESC or a bidirectional
/// override in a name or value is shown escaped, as `\u{1B}` or `\u{202E}`), and exits with the code of
/// ``MigrationsCommandError``.
///
/// ```swift
/// @main
/// struct MyApp: AsyncParsableCommand {
///     static let configuration = CommandConfiguration(
///         commandName: "my-app",
///         subcommands: [Serve.self, MigrateCommand<MyMigrations>.self]
///     )
///
///     static func main() async {
///         await MigrationsCommandLine.main(Self.self)
///     }
/// }
/// ```
public enum MigrationsCommandLine {
    /// Parses the arguments, runs the chosen command, and returns the exit code instead of exiting.
    ///
    /// Help (`--help`) goes to standard output with code 0; errors go to standard error.
    ///
    /// - Parameters:
    ///   - root: The root command type.
    ///   - arguments: The arguments without the program name; the process's own when `nil`.
    /// - Returns: The exit code, one of ``MigrationsExitCode``.
    public static func run<Root: AsyncParsableCommand>(_ root: Root.Type, arguments: [String]? = nil) async -> Int32 {
        let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
        let redaction = SecretRedaction(arguments: arguments, environment: ProcessInfo.processInfo.environment)
        do {
            var command = try await root.asyncParseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return MigrationsExitCode.success
        } catch {
            return report(error, root: root, redaction: redaction)
        }
    }

    /// Runs the command tree with the process's arguments and exits with its code.
    ///
    /// - Parameter root: The root command type.
    public static func main<Root: AsyncParsableCommand>(_ root: Root.Type) async -> Never {
        exitProcess(await run(root))
    }

    /// Ends the process with a code.
    static func exitProcess(_ code: Int32) -> Never {
        exit(code)
    }

    // MARK: - Reporting

    /// Prints an error the way ``MigrationsExitCode`` documents, and returns its exit code.
    ///
    /// Every error text is redacted first, then escaped with ``VisibleText`` (in that order, so a password
    /// holding a control character is still found): ArgumentParser's message keeps its line breaks, the
    /// `error: …` line of any other error is one line. Help requested with `--help` is printed as it is.
    ///
    /// - Parameters:
    ///   - error: What the command threw.
    ///   - root: The root command type, which formats ArgumentParser's errors.
    ///   - redaction: The passwords to blank.
    /// - Returns: The exit code, one of ``MigrationsExitCode``.
    static func report<Root: ParsableCommand>(_ error: any Error, root: Root.Type, redaction: SecretRedaction) -> Int32
    {
        if let exitCode = error as? ExitCode {
            return exitCode.rawValue
        }
        if !(error is MigrationsCommandError), isArgumentParserError(error, root: root) {
            let parserCode = root.exitCode(for: error)
            let text = root.fullMessage(for: error)
            if parserCode.isSuccess {
                StandardStreams.writeOutput(text.hasSuffix("\n") ? text : text + "\n")
                return MigrationsExitCode.success
            }
            StandardStreams.writeError(VisibleText.escapingLines(redaction.redact(text)) + "\n")
            return parserCode == .validationFailure ? MigrationsExitCode.usage : parserCode.rawValue
        }
        let classified = MigrationsCommandError.classify(error)
        StandardStreams.writeErrorLine("error: " + redaction.redact(classified.message))
        return classified.exitCode
    }

    /// Whether ArgumentParser raised the error itself: a parse or validation error, or a help request.
    private static func isArgumentParserError<Root: ParsableCommand>(_ error: any Error, root: Root.Type) -> Bool {
        if error is ValidationError || error is CleanExit { return true }
        let code = root.exitCode(for: error)
        return code == .validationFailure || code.isSuccess
    }
}
