// swift-tools-version:6.2
import PackageDescription

let strictSwift6: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-migrations",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Migrations", targets: ["Migrations"]),
        .library(name: "RedisClient", targets: ["RedisClient"]),
        .library(name: "MigrationsRedis", targets: ["MigrationsRedis"]),
        .library(name: "RedisTestSupport", targets: ["RedisTestSupport"]),
        .library(name: "MigrationsTestSupport", targets: ["MigrationsTestSupport"]),
        .library(name: "MigrationsCLI", targets: ["MigrationsCLI"]),
        .executable(name: "migrations", targets: ["MigrationsOperator"]),
        .executable(name: "migrations-demo", targets: ["MigrationsDemo"]),
        .library(name: "MigrationsHTTP", targets: ["MigrationsHTTP"]),
        .library(name: "MigrationsLifecycle", targets: ["MigrationsLifecycle"]),
        .executable(name: "example-service", targets: ["ExampleService"]),
        .executable(name: "migrations-bench", targets: ["MigrationsBench"]),
        .plugin(name: "MigrationDiscoveryPlugin", targets: ["MigrationDiscoveryPlugin"]),
    ],
    traits: [
        .trait(
            name: "Redis",
            description: """
                The embeddable `migrate` (MigrationsCLI) can keep state and leases in Redis (--redis-url, \
                REDIS_URL). Without it MigrationsCLI uses the file store only and does not link hiredis.
                """
        ),
        .default(enabledTraits: ["Redis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.1.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.5.0"),
    ],
    targets: [
        // MARK: - Core (no Redis, no NIO)
        .target(
            name: "Migrations",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSwift6
        ),

        // MARK: - hiredis boundary
        .systemLibrary(
            name: "CHiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(
            name: "RedisClient",
            dependencies: ["CHiredis"],
            swiftSettings: strictSwift6
        ),

        // MARK: - Redis backend for the core
        .target(
            name: "MigrationsRedis",
            dependencies: ["Migrations", "RedisClient"],
            swiftSettings: strictSwift6
        ),

        // MARK: - Background migrations in a service's lifecycle
        .target(
            name: "MigrationsLifecycle",
            dependencies: [
                "Migrations",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),

        // MARK: - HTTP endpoints (Hummingbird 2)
        .target(
            name: "MigrationsHTTP",
            dependencies: [
                "Migrations",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),

        // MARK: - Command line: `migrate` embedded in an app, the `migrations` operator tool, a demo app
        .target(
            name: "MigrationsCLI",
            dependencies: [
                "Migrations",
                .target(name: "MigrationsRedis", condition: .when(traits: ["Redis"])),
                .target(name: "RedisClient", condition: .when(traits: ["Redis"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "MigrationsOperator",
            dependencies: [
                "Migrations",
                "MigrationsCLI",
                "MigrationsRedis",
                "RedisClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "MigrationsDemo",
            dependencies: [
                "Migrations",
                "MigrationsCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),

        // MARK: - Example service
        .executableTarget(
            name: "ExampleService",
            dependencies: [
                "Migrations",
                "MigrationsCLI",
                "MigrationsHTTP",
                "MigrationsLifecycle",
                "MigrationsRedis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/legacy-users.csv")],
            swiftSettings: strictSwift6,
            plugins: ["MigrationDiscoveryPlugin"]
        ),

        // MARK: - Test support (usable by applications' own tests)
        .target(
            name: "MigrationsTestSupport",
            dependencies: [
                "CProcessSignals",
                "Migrations",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(name: "CProcessSignals"),
        .target(
            name: "RedisTestSupport",
            dependencies: ["RedisClient", "MigrationsTestSupport"],
            swiftSettings: strictSwift6
        ),

        // MARK: - Tests
        .executableTarget(
            name: "MigrationsTestWorker",
            dependencies: [
                "Migrations",
                "MigrationsRedis",
                "RedisClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MigrationsTests",
            dependencies: [
                "MigrationsTestSupport",
                "Migrations",
                "MigrationsTestWorker",
                "MigrationsLifecycle",
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "ExampleServiceTests",
            dependencies: [
                "MigrationsTestSupport",
                "ExampleService",
                "Migrations",
                "MigrationsRedis",
                "RedisTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MigrationsHTTPTests",
            dependencies: [
                "MigrationsHTTP",
                "MigrationsTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "RedisClientTests",
            dependencies: ["RedisClient", "RedisTestSupport"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MigrationsRedisTests",
            dependencies: [
                "MigrationsTestSupport", "MigrationsRedis", "RedisTestSupport", "MigrationsTestWorker",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MigrationsCLITests",
            dependencies: [
                "MigrationsTestSupport",
                "MigrationsCLI",
                "MigrationsRedis",
                "RedisClient",
                "RedisTestSupport",
                "MigrationsOperator",
                "MigrationsDemo",
            ],
            swiftSettings: strictSwift6
        ),

        // MARK: - Benchmarks and fault drills (issue 6)
        .executableTarget(
            name: "MigrationsBench",
            dependencies: [
                "Migrations",
                "MigrationsRedis",
                "MigrationsTestSupport",
                "RedisClient",
                "RedisTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "FaultDrillTests",
            dependencies: [
                "Migrations",
                "MigrationsRedis",
                "RedisClient",
                "RedisTestSupport",
                "MigrationsTestSupport",
                "MigrationsTestWorker",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),

        // MARK: - Build-time migration discovery (issue 7)
        .target(
            name: "MigrationDiscovery",
            dependencies: ["Migrations"],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "MigrationDiscoveryGenerator",
            dependencies: ["MigrationDiscovery"],
            swiftSettings: strictSwift6
        ),
        .plugin(
            name: "MigrationDiscoveryPlugin",
            capability: .buildTool(),
            dependencies: ["MigrationDiscoveryGenerator"]
        ),
        .testTarget(
            name: "FixturePackageTests",
            dependencies: ["MigrationsTestSupport", "MigrationsOperator"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MigrationDiscoveryTests",
            dependencies: [
                "MigrationsTestSupport",
                "MigrationDiscovery",
                "Migrations",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),
    ],
    swiftLanguageModes: [.v6]
)
