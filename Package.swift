// swift-tools-version:6.0
import PackageDescription

let strictSwift6: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "swift-migrations",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Migrations", targets: ["Migrations"]),
        .library(name: "RedisClient", targets: ["RedisClient"]),
        .library(name: "MigrationsRedis", targets: ["MigrationsRedis"]),
        .library(name: "RedisTestSupport", targets: ["RedisTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0")
    ],
    targets: [
        // MARK: - Core (no Redis, no NIO)
        .target(
            name: "Migrations",
            dependencies: [.product(name: "Logging", package: "swift-log")],
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
            dependencies: [
                "Migrations",
                "RedisClient",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),

        // MARK: - Test support (usable by applications' own tests)
        .target(
            name: "RedisTestSupport",
            dependencies: ["RedisClient"],
            swiftSettings: strictSwift6
        ),

        // MARK: - Tests
        .executableTarget(
            name: "MigrationsTestWorker",
            dependencies: ["Migrations", "MigrationsRedis", "RedisClient", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MigrationsTests",
            dependencies: [
                "Migrations",
                "MigrationsTestWorker",
                .product(name: "InMemoryLogging", package: "swift-log"),
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
            dependencies: ["MigrationsRedis", "RedisTestSupport", "MigrationsTestWorker"],
            swiftSettings: strictSwift6
        ),
    ],
    swiftLanguageModes: [.v6]
)
