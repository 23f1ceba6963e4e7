import B2CWire
import Foundation

/// A target descriptor (`targets/<name>.json`, schema `b2c-target_v1`): how to start an implementation under test
/// and how to judge its answers.
///
/// Paths: `cwd` and `expectations` resolve against the descriptor's own directory, and so does every `command` or
/// `prepare` argument that starts with `./` or `../`; commands run in `cwd`.
public struct TargetDescriptor: Sendable, Equatable {
    public static let schemaName = "b2c-target_v1"

    public var name: String
    public var description: String
    /// How the target is reached.
    public enum Transport: Sendable, Equatable {
        /// A process started with `command` in `cwd`, `environment` added to the runner's; the wire protocol runs
        /// over its stdin and stdout, its stderr goes to `target-stderr.log`.
        case process(command: [String], cwd: String, environment: [String: String])
        /// No wire protocol: the target is reached only on its native channels (a board that speaks SMP).
        case channelsOnly

        /// The kinds a descriptor can name, in `transport.kind`.
        public static let kinds = [processKind]
        static let processKind = "process"

        /// The kind as descriptors and reports name it.
        public var kind: String {
            switch self {
            case .process: Self.processKind
            case .channelsOnly: "none"
            }
        }
    }

    /// Where the descriptor was read from, or nil for the built-in reference device.
    public var path: String?
    public var transport: Transport
    /// Where `prepare` steps run: the process's `cwd`, else the descriptor's directory.
    public var workingDirectory: String
    /// Commands run once before the session (for example building a shim).
    public var prepare: [[String]]
    /// `strict`: an invalid case passes only with the expected error code. `loose`: any rejection passes (for
    /// libraries that cannot name the class of an error).
    public var looseErrorCodes: Bool
    public var perCaseTimeoutMs: Int
    public var startupTimeoutMs: Int
    public var expectationsPath: String?
    /// What the descriptor says of the target's capabilities, by operation: parameters that replace what its
    /// `hello` declares for that operation (a shim cannot always tell; `imgtool verify` models none of a build's
    /// optional checks). Only operations the target declares are affected.
    public var capabilities: [String: [String: JSONValue]]
    /// The target's native channels, by name (`smp`): where a device speaking its own protocol is reached.
    public var channels: [String: ChannelTransport]

    public init(
        name: String,
        description: String = "",
        path: String? = nil,
        transport: Transport,
        workingDirectory: String,
        prepare: [[String]] = [],
        looseErrorCodes: Bool = false,
        perCaseTimeoutMs: Int = 5000,
        startupTimeoutMs: Int = 10000,
        expectationsPath: String? = nil,
        capabilities: [String: [String: JSONValue]] = [:],
        channels: [String: ChannelTransport] = [:]
    ) {
        self.name = name
        self.description = description
        self.path = path
        self.transport = transport
        self.workingDirectory = workingDirectory
        self.prepare = prepare
        self.looseErrorCodes = looseErrorCodes
        self.perCaseTimeoutMs = perCaseTimeoutMs
        self.startupTimeoutMs = startupTimeoutMs
        self.expectationsPath = expectationsPath
        self.capabilities = capabilities
        self.channels = channels
    }

    /// Reads and checks a descriptor; every problem is one line naming the file and the field.
    public static func load(path: String) throws(HarnessError) -> TargetDescriptor {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HarnessError(.descriptor, "\(path): cannot read the target descriptor")
        }
        let root: JSONValue
        do {
            root = try JSONValue.parse(Array(data))
        } catch {
            throw HarnessError(.descriptor, "\(path): \(error.reason)")
        }
        func fail(_ what: String) -> HarnessError { HarnessError(.descriptor, "\(path): \(what)") }
        guard let o = root.objectValue else { throw fail("must be a JSON object") }
        let known: Set = [
            "schema", "name", "description", "transport", "prepare", "errorCodes", "timeouts", "expectations",
            "capabilities", "channels",
        ]
        if let extra = o.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("unknown field \"\(extra)\"")
        }
        guard o["schema"]?.stringValue == schemaName else { throw fail("\"schema\" must be \"\(schemaName)\"") }
        guard let name = o["name"]?.stringValue, !name.isEmpty,
            name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
        else { throw fail("\"name\" must be a non-empty string of letters, digits, - _ .") }
        let base = resolve(
            (path as NSString).deletingLastPathComponent,
            against: FileManager.default.currentDirectoryPath
        )
        func argv(_ values: [JSONValue], _ field: String) throws(HarnessError) -> [String] {
            var out: [String] = []
            for v in values {
                guard let s = v.stringValue else { throw fail("\(field) must hold only strings") }
                out.append(s.hasPrefix("./") || s.hasPrefix("../") ? resolve(s, against: base) : s)
            }
            return out
        }
        let channels =
            try o["channels"].map { v throws(HarnessError) in
                try Self.channels(v, base: base, argv: argv, fail: fail)
            } ?? [:]
        let wire: Transport
        var cwd = base
        if o["transport"] == nil && !channels.isEmpty {
            wire = .channelsOnly
        } else {
            guard let transport = o["transport"]?.objectValue else {
                throw fail("missing \"transport\" object (or \"channels\" for a target with no wire protocol)")
            }
            guard let kind = transport["kind"]?.stringValue, Transport.kinds.contains(kind) else {
                throw fail(
                    "transport.kind must be one of: " + Transport.kinds.map { "\"\($0)\"" }.joined(separator: ", ")
                )
            }
            let knownTransport: Set = ["kind", "command", "cwd", "env"]
            if let extra = transport.keys.sorted().first(where: { !knownTransport.contains($0) }) {
                throw fail("unknown field \"transport.\(extra)\"")
            }
            guard let commandValues = transport["command"]?.arrayValue, !commandValues.isEmpty else {
                throw fail("transport.command must be a non-empty array of strings")
            }
            let command = try argv(commandValues, "transport.command")
            cwd = resolve(transport["cwd"]?.stringValue ?? ".", against: base)
            var environment: [String: String] = [:]
            if let env = transport["env"] {
                guard let e = env.objectValue else { throw fail("transport.env must be an object of strings") }
                for (k, v) in e {
                    guard let s = v.stringValue else { throw fail("transport.env.\(k) must be a string") }
                    environment[k] = s
                }
            }
            wire = .process(command: command, cwd: cwd, environment: environment)
        }
        var prepare: [[String]] = []
        if let p = o["prepare"] {
            guard let steps = p.arrayValue else { throw fail("\"prepare\" must be an array of argv arrays") }
            for step in steps {
                guard let a = step.arrayValue, !a.isEmpty else {
                    throw fail("each \"prepare\" step must be an argv array")
                }
                prepare.append(try argv(a, "prepare"))
            }
        }
        let errorCodes = o["errorCodes"]?.stringValue ?? "strict"
        guard errorCodes == "strict" || errorCodes == "loose" else {
            throw fail("\"errorCodes\" must be \"strict\" or \"loose\"")
        }
        var perCase = 5000
        var startup = 10000
        if let t = o["timeouts"] {
            guard let timeouts = t.objectValue else { throw fail("\"timeouts\" must be an object") }
            if let v = timeouts["perCaseMs"] {
                guard let i = v.intValue, i > 0, i <= 3_600_000 else {
                    throw fail("timeouts.perCaseMs must be 1…3600000")
                }
                perCase = Int(i)
            }
            if let v = timeouts["startupMs"] {
                guard let i = v.intValue, i > 0, i <= 3_600_000 else {
                    throw fail("timeouts.startupMs must be 1…3600000")
                }
                startup = Int(i)
            }
        }
        var expectations: String? = nil
        if let e = o["expectations"] {
            guard let s = e.stringValue else { throw fail("\"expectations\" must be a path string") }
            expectations = resolve(s, against: base)
        }
        var capabilities: [String: [String: JSONValue]] = [:]
        if let c = o["capabilities"] {
            guard let ops = c.objectValue else { throw fail("\"capabilities\" must map operations to objects") }
            for (op, value) in ops {
                guard let parameters = value.objectValue,
                    parameters.values.allSatisfy({ $0.arrayValue?.allSatisfy { $0.stringValue != nil } == true })
                else { throw fail("capabilities.\(op) must map parameter names to arrays of strings") }
                capabilities[op] = parameters
            }
        }
        return TargetDescriptor(
            name: name,
            description: o["description"]?.stringValue ?? "",
            path: path,
            transport: wire,
            workingDirectory: cwd,
            prepare: prepare,
            looseErrorCodes: errorCodes == "loose",
            perCaseTimeoutMs: perCase,
            startupTimeoutMs: startup,
            expectationsPath: expectations,
            capabilities: capabilities,
            channels: channels
        )
    }

    /// Joins and normalises `.` and `..` lexically. Symlinks are kept: a venv's `bin/python3` must stay a path
    /// inside the venv (Foundation's `standardizedFileURL` resolves them on Linux).
    public static func resolve(_ path: String, against base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
