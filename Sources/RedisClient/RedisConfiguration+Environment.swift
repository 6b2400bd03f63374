#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension RedisConfiguration {
    /// The environment variable read by ``fromEnvironment(default:environment:)``.
    public static let environmentVariable = "REDIS_URL"

    /// Creates a configuration from the `REDIS_URL` environment variable, or from a default URL
    /// when the variable is unset or empty.
    ///
    /// ```swift
    /// // REDIS_URL=redis://:s3cret@cache.internal:6379/1
    /// let configuration = try RedisConfiguration.fromEnvironment()
    /// ```
    ///
    /// - Parameters:
    ///   - defaultURL: The URL used when `REDIS_URL` is unset or empty.
    ///   - environment: The environment to read; the process environment when `nil`. Tests pass a dictionary.
    /// - Returns: The parsed configuration.
    /// - Throws: ``RedisError`` with code ``RedisError/Code-swift.struct/invalidURL`` if the URL is malformed;
    ///   the message says whether it came from `REDIS_URL` or from the default.
    public static func fromEnvironment(
        default defaultURL: String = "redis://127.0.0.1:6379",
        environment: [String: String]? = nil
    ) throws(RedisError) -> RedisConfiguration {
        let value: String?
        if let environment {
            value = environment[environmentVariable]
        } else {
            value = getenv(environmentVariable).map { String(cString: $0) }
        }
        guard let value, !value.isEmpty else {
            return try RedisConfiguration(url: defaultURL)
        }
        do {
            return try RedisConfiguration(url: value)
        } catch {
            var error = error
            error.message = "\(environmentVariable): \(error.message)"
            throw error
        }
    }
}
