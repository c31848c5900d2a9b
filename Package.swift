// swift-tools-version:6.0
import PackageDescription

// Targets follow DESIGN.md: one concern each, IO at the edges. System libraries come from Debian
// (libpq-dev, libssl-dev, libcurl4-openssl-dev); scripts/setup.sh installs them.
let package = Package(
    name: "ml-connector",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ml-connector", targets: ["ml-connector"]),
        // For the benchmark packages under bench/ (they depend on this one by path).
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
        .library(name: "Queue", targets: ["Queue"]),
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
            "COpenSSL", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "HTTPClient", dependencies: [
            "CCurl", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "GP", dependencies: [
            "HTTPClient", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Commerce", dependencies: [
            "HTTPClient", "Crypto", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Simulators", dependencies: [
            "HTTPServer", "HTTPClient", "Crypto", "COpenSSL", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Queue", dependencies: [
            "Postgres", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Connector", dependencies: [
            "Postgres", "Crypto", "Queue", "GP", "Commerce", "HTTPClient", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "API", dependencies: [
            "HTTPServer", "Postgres", "Crypto", "Queue", "Connector", "Commerce",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "ml-connector", dependencies: [
            "Postgres", "HTTPServer", "Crypto", "HTTPClient", "Queue", "Connector", "API",
            "GP", "Commerce", "Simulators",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Shared by test targets: a real PostgreSQL for the whole test process.
        .target(name: "TestSupport", dependencies: ["Postgres"], path: "Tests/TestSupport"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto", "TestSupport"]),
        .testTarget(name: "GPTests", dependencies: ["GP", "Simulators", "HTTPClient", "HTTPServer", "TestSupport"]),
        .testTarget(name: "CommerceTests", dependencies: ["Commerce", "Simulators", "HTTPClient", "HTTPServer", "Crypto", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "QueueTests", dependencies: ["Queue", "TestSupport", "queue-test-worker"]),
        // Test-only worker process for the queue's crash and multi-process tests.
        .executableTarget(name: "queue-test-worker", dependencies: ["Queue", "Postgres"]),
        .testTarget(name: "ConnectorTests", dependencies: ["Connector", "GP", "Commerce", "Simulators", "Queue", "TestSupport"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Connector", "Queue", "GP", "Commerce", "Simulators", "Postgres", "Crypto", "HTTPServer", "TestSupport"]),
        .testTarget(name: "APITests", dependencies: ["API", "Connector", "HTTPServer", "Queue", "TestSupport"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "TestSupport"]),
        .testTarget(name: "AgentTests", dependencies: ["API", "Connector", "Queue", "GP", "Commerce", "Simulators", "Postgres", "Crypto", "HTTPServer", "HTTPClient", "TestSupport"]),
    ]
)
