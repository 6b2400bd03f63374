import Foundation
import Migrations
import MigrationsCLI

/// Asks a yes-or-no question on the terminal.
enum ConfirmationPrompt {
    /// Whether standard input is a terminal someone can answer on.
    static var isInteractive: Bool {
        StandardStreams.isTerminal(0)
    }

    /// Prints the question on standard error, escaped for the terminal, and reads the answer; only `y` or
    /// `yes` confirms.
    static func confirm(_ question: String) -> Bool {
        StandardStreams.writeError(VisibleText.escaping(question) + " [y/N] ")
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
