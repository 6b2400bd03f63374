import Foundation

#if Redis
    import RedisClient
#endif

/// Keeps passwords out of everything a command prints on failure.
///
/// Errors built by this package never contain a password, but some text comes from elsewhere (an argument
/// echoed back by the parser, an application's error): every line written on failure passes through
/// ``redact(_:)`` first, which blanks the passwords of the Redis URLs the process was given and any
/// `scheme://user:password@` user info.
struct SecretRedaction: Sendable {
    /// The passwords to blank, longest first.
    let secrets: [String]

    /// Collects the passwords of every Redis URL among the arguments and in `REDIS_URL`.
    ///
    /// - Parameters:
    ///   - arguments: The command-line arguments.
    ///   - environment: The process environment.
    init(arguments: [String], environment: [String: String]) {
        var found: Set<String> = []
        var candidates = arguments.map { argument -> String in
            guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return argument }
            return String(argument[argument.index(after: equals)...])
        }
        if let fromEnvironment = environment["REDIS_URL"] {
            candidates.append(fromEnvironment)
        }
        for candidate in candidates where candidate.contains("://") {
            #if Redis
                // The parsed password also covers `?password=` in a unix-socket URL.
                if let password = (try? RedisConfiguration(url: candidate))?.password { found.insert(password) }
            #endif
            if let raw = Self.rawPassword(in: candidate) {
                found.insert(raw)
                if let decoded = raw.removingPercentEncoding { found.insert(decoded) }
            }
        }
        secrets = found.filter { $0.count >= 3 }.sorted { $0.count > $1.count }
    }

    /// Replaces every known password, and the password of any URL's user info, with `***`.
    func redact(_ text: String) -> String {
        var result = text
        for secret in secrets { result = result.replacingOccurrences(of: secret, with: "***") }
        return Self.redactUserInfo(result)
    }

    /// The password as written in `scheme://user:password@host`, before percent-decoding.
    private static func rawPassword(in url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return nil }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return nil }
        let password = userInfo[userInfo.index(after: colon)...]
        return password.isEmpty ? nil : String(password)
    }

    /// Blanks `:password@` in every `scheme://user:password@` of the text.
    private static func redactUserInfo(_ text: String) -> String {
        guard text.contains("://"), let expression = try? NSRegularExpression(pattern: "(://[^\\s/:@]*):[^\\s@]+@")
        else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return expression.stringByReplacingMatches(in: text, range: range, withTemplate: "$1:***@")
    }
}
