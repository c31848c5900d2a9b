import Foundation
import Testing

/// The repository's test virtualenv (`scripts/test-python-deps.sh`: `.venv` with the pinned
/// packages of `scripts/requirements-test.txt`), created once per process.
enum PythonTestDeps {
    static let repositoryRoot: String = {
        // Tests/HTTPClientTests/PythonTestDeps.swift → the repository root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    /// The venv's python, or why it could not be made.
    static let python: Result<String, TestSetupError> = {
        do {
            let result = try runCommand("/bin/bash", ["\(repositoryRoot)/scripts/test-python-deps.sh"])
            let lastLine = result.output.split(separator: "\n").last.map(String.init) ?? ""
            guard result.status == 0, FileManager.default.isExecutableFile(atPath: lastLine) else {
                return .failure(TestSetupError("scripts/test-python-deps.sh failed (exit \(result.status)): \(result.output)"))
            }
            return .success(lastLine)
        } catch {
            return .failure(TestSetupError("cannot run scripts/test-python-deps.sh: \(error)"))
        }
    }()

    /// The venv's python, or cancels (skips) the calling test saying why.
    static func pythonOrSkip() async throws -> String {
        switch try await onOwnThread({ python }) {
        case .success(let path):
            return path
        case .failure(let reason):
            print("Skipping: the Python test venv could not be created: \(reason)")
            try Test.cancel("the Python test venv could not be created: \(reason)")
        }
    }
}
