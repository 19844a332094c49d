// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sdelka",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sdelka", targets: ["sdelka"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(name: "SdelkaCore"),
        .target(
            name: "Sdelka",
            dependencies: [
                "SdelkaCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(name: "sdelka", dependencies: ["Sdelka"]),
        .testTarget(name: "SdelkaCoreTests", dependencies: ["SdelkaCore"]),
        .testTarget(
            name: "SdelkaTests",
            dependencies: [
                "Sdelka",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            // Read from the source tree by path: the mail tests' SMTP server and letters.
            exclude: ["Support/smtp_server.py", "Fixtures"]
        ),
    ]
)
