// swift-tools-version:6.2
// An application that keeps migration state in files only: it depends on swift-migrations without the
// `Redis` trait, so neither hiredis nor the Redis modules are in its build. `FileStoreOnlyFixturePackageTests`
// copies this package to a temporary directory and points the path below at the repository.
import PackageDescription

let package = Package(
    name: "FileStoreFixture",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-migrations", path: "../../..", traits: [])
    ],
    targets: [
        .executableTarget(
            name: "FileStoreFixture",
            dependencies: [
                .product(name: "Migrations", package: "swift-migrations"),
                .product(name: "MigrationsCLI", package: "swift-migrations"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
