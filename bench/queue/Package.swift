// swift-tools-version:6.0
// Burn-down benchmark of the job queue (see run.sh). A package of its own so the root package
// gains no benchmark targets; it uses the root's `Queue` library product by path.
import PackageDescription

let package = Package(
    name: "queue-bench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "ml-connector", path: "../..")],
    targets: [
        .executableTarget(name: "queue-bench", dependencies: [.product(name: "Queue", package: "ml-connector")]),
    ]
)
