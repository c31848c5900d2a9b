import Foundation

/// The repository's Python test virtualenv (`scripts/test-python-deps.sh`: `.venv` with the
/// pinned packages of `scripts/requirements-test.txt` — pyspnego, oauthlib, cryptography), made
/// once per process. Independent implementations check our protocols against it.
public enum PythonVenv {
    /// The venv's interpreter, or why it could not be made.
    public static let python: Result<String, TestSetupError> = {
        let setup = TestFiles.repositoryRoot + "/scripts/test-python-deps.sh"
        do {
            // On a machine where nothing installed the venv yet, pip may take minutes.
            let result = try runCommand("/bin/bash", [setup], timeout: 900)
            let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
            guard result.status == 0, FileManager.default.isExecutableFile(atPath: last) else {
                return .failure(TestSetupError("scripts/test-python-deps.sh failed (exit \(result.status)): \(result.output)"))
            }
            return .success(last)
        } catch {
            return .failure(TestSetupError("cannot run scripts/test-python-deps.sh: \(error)"))
        }
    }()

    /// Runs `script` with `arguments` under the venv's interpreter, feeding `stdin`; returns
    /// stdout, throws on a non-zero exit.
    public static func script(_ script: String, _ arguments: [String] = [], stdin: String = "") throws -> String {
        let result = try runCommand(try python.get(), ["-c", script] + arguments, stdin: stdin)
        guard result.status == 0 else { throw TestSetupError("python failed (\(result.status)): \(result.stderr)") }
        return result.stdout
    }
}
