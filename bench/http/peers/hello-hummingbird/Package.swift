// swift-tools-version:6.2
// Benchmark peer only: a Hummingbird hello-world server, built by bench/http/run.sh, never by CI.
import PackageDescription

let package = Package(
    name: "hello-hummingbird",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(name: "HelloHummingbird", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
    ]
)
