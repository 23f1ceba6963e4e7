import B2CReport
import B2CWire
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a run selected, saved in its first event so `--resume` runs exactly the same cases.
public struct Selection: Codable, Sendable, Equatable {
    /// The target descriptor's path, or nil for the built-in reference device.
    public var target: String?
    public var suites: [String]
    public var filters: [String]
    public var seed: String
    public var vectors: String

    public init(target: String?, suites: [String], filters: [String], seed: String, vectors: String) {
        self.target = target
        self.suites = suites
        self.filters = filters
        self.seed = seed
        self.vectors = vectors
    }
}

/// `DIR/events.jsonl`: one JSON object per line, appended as the run goes (`start`, one `case` per record, `end`).
/// A later `case` event for the same id replaces an earlier one. Each line is one `write`, so a killed runner
/// loses at most the line it was writing, which the reader skips.
public final class EventLog {
    struct Start: Codable {
        var event = "start"
        var run: RunInfo
        var target: TargetInfo
        var selection: Selection
    }
    struct CaseEvent: Codable {
        var event = "case"
        var `case`: CaseResult
    }
    struct End: Codable {
        var event = "end"
        var finishedAt: String
    }
    struct Peek: Codable { var event: String }

    /// What a log holds.
    public struct Contents {
        public var run: RunInfo
        public var target: TargetInfo
        public var selection: Selection
        /// The last record of every case, in the order cases were first recorded.
        public var cases: [CaseResult]
        public var ended: Bool
        /// The length of the log up to its last complete event line: a line cut short by a kill lies past it.
        public var intactLength: Int
    }

    public let path: String
    private let fd: Int32

    /// Opens the log for appending; `truncate` starts a new run. When resuming, `keeping` is the log's
    /// ``Contents/intactLength``: a last line cut short by a kill is cut off, so new events never follow a fragment.
    public init(path: String, truncate: Bool, keeping: Int? = nil) throws(HarnessError) {
        self.path = path
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0)
        fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw HarnessError(.eventLog, "\(path): cannot open for writing") }
        if let keeping, !truncate, ftruncate(fd, off_t(keeping)) != 0 {
            close(fd)
            throw HarnessError(.eventLog, "\(path): cannot cut off the unfinished last line")
        }
    }

    deinit { close(fd) }

    func start(run: RunInfo, target: TargetInfo, selection: Selection) {
        append(Start(run: run, target: target, selection: selection))
    }
    func record(_ c: CaseResult) { append(CaseEvent(case: c)) }
    func end(finishedAt: String) { append(End(finishedAt: finishedAt)) }

    private func append(_ event: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let bytes = try? Array(encoder.encode(event)) else { return }
        // One write per event line, so a killed runner cuts at most the last line.
        FileDescriptorIO.writeAll(fd, bytes + [0x0a])
    }

    /// Reads a log; a line that does not parse is skipped only if it is the last (a write cut short).
    public static func read(path: String) throws(HarnessError) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HarnessError(.eventLog, "\(path): no run to resume here (cannot read events.jsonl)")
        }
        let bytes = [UInt8](data)
        var lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: true)
        // A last line without its newline was being written when the runner died: it is not read, and it lies past
        // the intact part; so does a last line that does not parse.
        var intact = bytes.count
        if bytes.last != 0x0a, let last = lines.last {
            intact = last.startIndex
            lines.removeLast()
        }
        let decoder = JSONDecoder()
        var start: Start?
        var order: [String] = []
        var latest: [String: CaseResult] = [:]
        var ended = false
        for (n, line) in lines.enumerated() {
            let isLast = n == lines.count - 1
            guard let peek = try? decoder.decode(Peek.self, from: Data(line)) else {
                if isLast {
                    intact = line.startIndex
                    continue
                }
                throw HarnessError(.eventLog, "\(path): line \(n + 1) is not an event")
            }
            switch peek.event {
            case "start":
                guard let s = try? decoder.decode(Start.self, from: Data(line)) else {
                    throw HarnessError(.eventLog, "\(path): line \(n + 1): malformed start event")
                }
                start = s
            case "case":
                guard let c = try? decoder.decode(CaseEvent.self, from: Data(line)) else {
                    if isLast {
                        intact = line.startIndex
                        continue
                    }
                    throw HarnessError(.eventLog, "\(path): line \(n + 1): malformed case event")
                }
                if latest[c.case.id] == nil { order.append(c.case.id) }
                latest[c.case.id] = c.case
            case "end":
                ended = true
            default:
                throw HarnessError(.eventLog, "\(path): line \(n + 1): unknown event \"\(peek.event)\"")
            }
        }
        guard let start else { throw HarnessError(.eventLog, "\(path): no start event; not a b2c run log") }
        return Contents(
            run: start.run,
            target: start.target,
            selection: start.selection,
            cases: order.compactMap { latest[$0] },
            ended: ended,
            intactLength: intact
        )
    }
}
