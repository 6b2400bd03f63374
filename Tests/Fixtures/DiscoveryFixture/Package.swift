// swift-tools-version:6.0
import PackageDescription

// A small application that uses MigrationDiscoveryPlugin, built by FixturePackageTests.
// The tests copy it to a temporary directory and rewrite "../../.." to the repository's absolute path.
let package = Package(
    name: "DiscoveryFixture",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-migrations", path: "../../..")
    ],
    targets: [
        .executableTarget(
            name: "DiscoveryFixture",
            dependencies: [.product(name: "Migrations", package: "swift-migrations")],
            plugins: [.plugin(name: "MigrationDiscoveryPlugin", package: "swift-migrations")]
        )
    ],
    swiftLanguageModes: [.v6]
)
