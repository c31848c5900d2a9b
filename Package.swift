// swift-tools-version:6.0
import PackageDescription

// Targets follow DESIGN.md: one concern each, IO at the edges. System libraries come from Debian
// (libpq-dev, libssl-dev, libcurl4-openssl-dev); scripts/setup.sh installs them.
let package = Package(
    name: "ml-connector",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ml-connector", targets: ["ml-connector"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        .target(name: "Postgres", dependencies: [
            "CLibPQ", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Crypto", dependencies: ["COpenSSL"]),
        .target(name: "HTTPServer", dependencies: [
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "HTTPClient", dependencies: [
            "CCurl", .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "ml-connector", dependencies: [
            "Postgres", "HTTPServer", "Crypto", "HTTPClient",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Shared by test targets: a real PostgreSQL for the whole test process.
        .target(name: "TestSupport", dependencies: ["Postgres"], path: "Tests/TestSupport"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient"]),
    ]
)
