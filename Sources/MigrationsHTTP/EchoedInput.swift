import Foundation

/// Caps text that came from a request before an error answer repeats it.
///
/// An error message that quotes what the caller sent (an unknown migration name, a path, a decoder's complaint
/// about the body) keeps the first ``limit`` bytes of UTF-8 of it and marks the cut with ``truncationMark``,
/// so a 2 MB name costs a few hundred bytes in the answer instead of 4 MB.
enum EchoedInput {
    /// The most bytes of UTF-8 of one echoed input that an answer repeats.
    static let limit = 200

    /// What stands for the rest of an input that was cut.
    static let truncationMark = "…(truncated)"

    /// Returns `text` itself when it is at most ``limit`` bytes long, else its first ``limit`` bytes followed by
    /// ``truncationMark``.
    ///
    /// The cut falls between Unicode scalars, never inside one.
    ///
    /// - Parameter text: Text from the request.
    static func capped(_ text: String) -> String {
        guard text.utf8.count > limit else { return text }
        var kept = String.UnicodeScalarView()
        var keptBytes = 0
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            if keptBytes + width > limit { break }
            kept.append(scalar)
            keptBytes += width
        }
        return String(kept) + truncationMark
    }

    /// Returns `message` with every occurrence of `echoed` replaced by its ``capped(_:)`` form.
    ///
    /// - Parameters:
    ///   - echoed: Text from the request that `message` may quote.
    ///   - message: A message written by the engine or the framework.
    static func cappingEchoes(of echoed: String, in message: String) -> String {
        guard echoed.utf8.count > limit else { return message }
        return message.replacingOccurrences(of: echoed, with: capped(echoed))
    }
}
