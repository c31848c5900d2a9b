// swift-tools-version:6.0
// Benchmark only: our HTTPServer serving the same hello-world as the Hummingbird peer.
import PackageDescription

let package = Package(
    name: "hello-ours",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ml-connector", path: "../../.."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(name: "HelloOurs", dependencies: [
            .product(name: "HTTPServer", package: "ml-connector"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
