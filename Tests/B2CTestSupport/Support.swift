import B2CReport
import Foundation

/// The repository root, found from this file.
package let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}()

/// The directory holding the built `b2c` and `b2c-device` (beside the test binary, or `.build/debug`).
package let binDir: String = {
    let candidates = [
        ProcessInfo.processInfo.environment["B2C_BIN_DIR"],
        (CommandLine.arguments.first.map { ($0 as NSString).deletingLastPathComponent }),
        repoRoot + "/.build/debug",
    ].compactMap { $0 }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0 + "/b2c-device") } ?? repoRoot
        + "/.build/debug"
}()

package struct Completed: Sendable {
    package var status: Int32
    package var stdout: String
    package var stderr: String
}

/// Runs a command to completion.
package func runProcess(_ argv: [String], cwd: String = repoRoot, stdin: String? = nil) throws -> Completed {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: argv[0])
    p.arguments = Array(argv.dropFirst())
    p.currentDirectoryURL = URL(fileURLWithPath: cwd)
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Completed(
        status: p.terminationStatus,
        stdout: String(decoding: o, as: UTF8.self),
        stderr: String(decoding: e, as: UTF8.self)
    )
}

/// `b2c ARGS…` from the repository root.
package func b2c(_ args: String..., stdin: String? = nil) throws -> Completed {
    try runProcess([binDir + "/b2c"] + args, stdin: stdin)
}

package func tempDir(_ name: String) -> String {
    let dir = NSTemporaryDirectory() + "b2c-tests-\(name)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Writes a target descriptor that runs the reference device with extra arguments.
package func deviceTarget(_ dir: String, name: String = "device-under-test", args: [String], perCaseMs: Int = 5000)
    throws -> String
{
    let command = ([binDir + "/b2c-device", "--stdio"] + args).map { "\"\($0)\"" }.joined(separator: ", ")
    let json = """
        {"schema": "b2c-target_v1", "name": "\(name)", "transport": {"kind": "process", "command": [\(command)]},
         "timeouts": {"perCaseMs": \(perCaseMs), "startupMs": 10000}}
        """
    let path = dir + "/\(name).json"
    try json.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

package func loadResults(_ dir: String) throws -> RunResults {
    guard let data = FileManager.default.contents(atPath: dir + "/results.json") else {
        throw SupportError("no results.json in \(dir)")
    }
    return try ResultsJSON.decode(Array(data))
}

/// A test helper's own failure.
package struct SupportError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

extension RunResults {
    package func cases(_ outcome: Outcome) -> [CaseResult] { cases.filter { $0.outcome == outcome } }
    package func ids(_ outcome: Outcome) -> Set<String> { Set(cases(outcome).map(\.id)) }
}

/// Whether Python peers are installed (`scripts/test` makes `.venv`).
package let hasVenv = FileManager.default.isExecutableFile(atPath: repoRoot + "/.venv/bin/python3")

/// A fixture made from constant input: a failure stops the test process with the error, rather than a `try!` that
/// names nothing.
package func fixture<T>(_ make: () throws -> T, file: StaticString = #fileID, line: UInt = #line) -> T {
    do {
        return try make()
    } catch {
        fatalError("fixture at \(file):\(line) cannot be made: \(error)")
    }
}

/// Debian's headless Chromium (`chromium-headless-shell`, or `chromium`), when installed (scripts/test installs it).
package let chromium: String? = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// The DOM of the HTML file at `path` after its scripts ran, as headless Chromium dumps it; `query` is the URL's
/// query string (`filter=…`).
package func browserDOM(_ path: String, query: String = "") throws -> String {
    guard let chromium else { throw BrowserUnavailable() }
    var url = URL(fileURLWithPath: path).absoluteString
    if !query.isEmpty { url += "?" + query }
    // Chromium is chatty on stderr; only the DOM on stdout matters.
    let r = try runProcess([
        "/bin/sh", "-c", "exec \"$0\" --no-sandbox --disable-gpu --dump-dom \"$1\" 2>/dev/null", chromium, url,
    ])
    guard r.status == 0, !r.stdout.isEmpty else { throw BrowserUnavailable() }
    return r.stdout
}

package struct BrowserUnavailable: Error {}
