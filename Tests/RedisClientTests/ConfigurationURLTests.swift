import RedisClient
import Testing

@Suite("Configuration URLs", .timeLimit(.minutes(5)))
struct ConfigurationURLTests {
    private static let password = "Sup3r-S3cret!"

    @Test("A host alone uses port 6379 and database 0")
    func aHostAloneUsesDefaults() throws {
        let configuration = try RedisConfiguration(url: "redis://cache.internal")

        #expect(configuration.endpoint == .tcp(host: "cache.internal", port: 6379))
        #expect(configuration.database == 0)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
        #expect(configuration.connectTimeout == .seconds(2))
        #expect(configuration.commandTimeout == .seconds(5))
        #expect(configuration.keepAlive)
    }

    @Test("User, password, port and database are all read")
    func everyPartIsRead() throws {
        let configuration = try RedisConfiguration(url: "redis://alice:p%40ss%3Aw%2Frd@10.0.0.5:6380/3")

        #expect(configuration.endpoint == .tcp(host: "10.0.0.5", port: 6380))
        #expect(configuration.username == "alice")
        #expect(configuration.password == "p@ss:w/rd")
        #expect(configuration.database == 3)
    }

    @Test("A password without a user is read")
    func aPasswordWithoutAUserIsRead() throws {
        let configuration = try RedisConfiguration(url: "redis://:secret@localhost")

        #expect(configuration.username == nil)
        #expect(configuration.password == "secret")
        #expect(configuration.endpoint == .tcp(host: "localhost", port: 6379))
    }

    @Test("IPv6 addresses are read from brackets")
    func ipv6AddressesAreRead() throws {
        #expect(try RedisConfiguration(url: "redis://[::1]:7000/1").endpoint == .tcp(host: "::1", port: 7000))
        #expect(try RedisConfiguration(url: "redis://[fe80::1]").endpoint == .tcp(host: "fe80::1", port: 6379))
    }

    @Test("Unix socket URLs take db and password from the query")
    func unixSocketURLsAreRead() throws {
        let configuration = try RedisConfiguration(url: "unix:///var/run/redis.sock?db=4&password=p%26w")

        #expect(configuration.endpoint == .unix(path: "/var/run/redis.sock"))
        #expect(configuration.database == 4)
        #expect(configuration.password == "p&w")
        #expect(try RedisConfiguration(url: "unix:///tmp/r.sock").database == 0)
    }

    @Test(
        "Invalid URLs are rejected with a message naming the problem",
        arguments: [
            ("", "empty"),
            ("127.0.0.1:6379", "must start with redis://"),
            ("http://host", "'http' is not supported"),
            ("rediss://host", "TLS"),
            ("redis://", "host is missing"),
            ("redis://host:notaport", "port must be a number"),
            ("redis://host:70000", "port 70000 must be a number from 1 to 65535"),
            ("redis://host/abc", "database must be a non-negative integer"),
            ("redis://::1:6379", "IPv6 addresses in brackets"),
            ("redis://[::1", "no closing ']'"),
            ("redis://host?db=1", "query parameters"),
            ("unix://relative/path", "must be absolute"),
            ("unix:///tmp/r.sock?timeout=1", "'timeout' is not supported"),
            ("redis://%zz:pw@host", "user name contains an invalid percent escape"),
        ]
    )
    func invalidURLsAreRejected(url: String, expectedFragment: String) {
        let error = #expect(throws: RedisError.self) {
            try RedisConfiguration(url: url)
        }

        #expect(error?.code == .invalidURL)
        #expect(error?.message.contains(expectedFragment) == true, "\(error?.message ?? "no error")")
    }

    @Test(
        "The password never appears in errors about the URL",
        arguments: [
            "redis://user:\(password)",
            "redis://\(password)@host",
            "redis://:\(password)%zz@host",
            "redis://:\(password)@host:bad",
            "redis://:\(password)@host/x",
            "unix:///tmp/s?password=\(password)%&db=x",
        ]
    )
    func thePasswordNeverAppearsInErrors(url: String) {
        let error = #expect(throws: RedisError.self) {
            try RedisConfiguration(url: url)
        }

        #expect(error.map { !"\($0)".contains(Self.password) } == true, "\(error.map { "\($0)" } ?? "")")
    }

    @Test("Descriptions show *** instead of the password")
    func descriptionsRedactThePassword() throws {
        let tcp = try RedisConfiguration(url: "redis://alice:\(Self.password)@host:6380/2")
        let unix = try RedisConfiguration(url: "unix:///tmp/r.sock?db=1&password=\(Self.password)")

        #expect(tcp.redactedURL == "redis://alice:***@host:6380/2")
        #expect(unix.redactedURL == "unix:///tmp/r.sock?db=1&password=***")
        #expect(!tcp.description.contains(Self.password))
        #expect(tcp.description.contains("***"))
        #expect(!"\(tcp)".contains(Self.password))
        #expect(!String(reflecting: tcp.endpoint).contains(Self.password))
        #expect(try RedisConfiguration(url: "redis://[::1]:7000").redactedURL == "redis://[::1]:7000")
    }

    @Test("REDIS_URL is read from the environment, with a default when unset")
    func redisURLIsReadFromTheEnvironment() throws {
        let fromVariable = try RedisConfiguration.fromEnvironment(environment: ["REDIS_URL": "redis://cache:7000/5"])
        let fromDefault = try RedisConfiguration.fromEnvironment(environment: [:])
        let fromEmpty = try RedisConfiguration.fromEnvironment(default: "redis://other", environment: ["REDIS_URL": ""])

        #expect(fromVariable.endpoint == .tcp(host: "cache", port: 7000))
        #expect(fromVariable.database == 5)
        #expect(fromDefault.endpoint == .tcp(host: "127.0.0.1", port: 6379))
        #expect(fromEmpty.endpoint == .tcp(host: "other", port: 6379))
    }

    @Test("An invalid REDIS_URL is reported as coming from REDIS_URL")
    func anInvalidRedisURLNamesTheVariable() {
        let error = #expect(throws: RedisError.self) {
            try RedisConfiguration.fromEnvironment(environment: ["REDIS_URL": "redis://host:0"])
        }

        #expect(error?.message.hasPrefix("REDIS_URL:") == true)
    }
}
