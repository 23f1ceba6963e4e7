import B2CReport
import B2CWire

/// What a case does to a target: a short script of steps, scored into one verdict.
///
/// Most cases are one exchange (``exchange(op:args:expect:)``): send one request, judge its answer. Protocols with
/// state (a management session, a handshake, an upload followed by a reset) are several: each ``Step/send(_:)``
/// replaces "the last answer", each ``Step/expect(_:)`` judges it, and the first expectation that is not met decides
/// the case. A case passes when every expectation is met.
public struct Scenario: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// Sends a request and waits for its answer (the per-case timeout applies to each send).
        case send(Request)
        /// Judges the last answer.
        case expect(Expectation)
        /// Lets time pass on the target's side (a boot, a timer), in milliseconds.
        case wait(milliseconds: Int)
        /// Restarts the target: a fresh process or connection, as after a power cycle.
        case reset
    }

    /// One request of the wire protocol.
    public struct Request: Sendable, Equatable {
        public var op: String
        public var args: [String: JSONValue]
        public init(op: String, args: [String: JSONValue] = [:]) {
            self.op = op
            self.args = args
        }
    }

    public var steps: [Step]

    public init(_ steps: [Step]) { self.steps = steps }

    /// The common short form: one request, one judged answer.
    public static func exchange(op: String, args: [String: JSONValue], expect: Expectation) -> Scenario {
        Scenario([.send(Request(op: op, args: args)), .expect(expect)])
    }

    /// The expectations, in order.
    public var expectations: [Expectation] {
        steps.compactMap { step in
            if case .expect(let e) = step { return e }
            return nil
        }
    }

    /// Why the script cannot run as written, or nil: an expectation with no answer before it, a negative wait.
    public var problem: String? {
        var answered = false
        for (i, step) in steps.enumerated() {
            switch step {
            case .send: answered = true
            case .expect: if !answered { return "step \(i + 1) expects an answer before any request" }
            case .wait(let ms): if ms < 0 || ms > 600_000 { return "step \(i + 1) waits \(ms) ms (0…600000)" }
            case .reset: answered = false
            }
        }
        return expectations.isEmpty ? "the scenario judges nothing" : nil
    }
}
