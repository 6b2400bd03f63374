#if Redis
    public import RedisClient

    /// The Redis a command talks to: from `--redis-url`, else from `REDIS_URL`, else a default, if any.
    ///
    /// Its ``description`` is the redacted URL: a password is never printed.
    public struct RedisTarget: Sendable, CustomStringConvertible {
        /// Where the URL came from.
        public enum Source: String, Sendable {
            /// The `--redis-url` option.
            case option = "--redis-url"
            /// The `REDIS_URL` environment variable.
            case environment = "REDIS_URL"
            /// The command's default.
            case defaultURL = "the default URL"
        }

        /// The parsed configuration.
        public var configuration: RedisConfiguration
        /// Where the URL came from.
        public var source: Source

        /// Creates a target.
        public init(configuration: RedisConfiguration, source: Source) {
            self.configuration = configuration
            self.source = source
        }

        /// The URL with the password replaced by `***`.
        public var description: String { configuration.redactedURL }

        /// Picks the URL: the option, else a non-empty `REDIS_URL`, else `defaultURL`.
        ///
        /// - Parameters:
        ///   - option: The value of `--redis-url`, if given.
        ///   - environment: The process environment.
        ///   - defaultURL: The URL to use when neither is set; `nil` for none.
        /// - Returns: The target, or `nil` when no URL is set and there is no default.
        /// - Throws: ``MigrationsCommandError`` with code ``MigrationsCommandError/Code-swift.struct/usage``
        ///   naming the source when the URL is malformed (without the password).
        public static func resolve(
            option: String?,
            environment: [String: String],
            defaultURL: String? = nil
        ) throws(MigrationsCommandError) -> RedisTarget? {
            let candidates: [(String?, Source)] = [
                (option, .option),
                (environment[RedisConfiguration.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }, .environment),
                (defaultURL, .defaultURL),
            ]
            guard let (url, source) = candidates.lazy.compactMap({ value, source in value.map { ($0, source) } }).first
            else { return nil }
            do {
                return RedisTarget(configuration: try RedisConfiguration(url: url), source: source)
            } catch {
                throw MigrationsCommandError(.usage, "\(source.rawValue): \(error.message)", cause: error)
            }
        }

        /// Opens a connection, turning failures into ``MigrationsCommandError`` (exit code 3 when Redis
        /// cannot be reached or refuses the credentials).
        public func connect() async throws(MigrationsCommandError) -> RedisConnection {
            do {
                return try await RedisConnection(configuration: configuration)
            } catch {
                throw MigrationsCommandError.classify(error, redisURL: description)
            }
        }
    }
#endif
