/// An open set of string constants, written as the bare string in JSON (the standard library's coding of a
/// `RawRepresentable`): readers keep working when a later version adds a constant.
public protocol OpenVocabulary: RawRepresentable<String>, Hashable, Codable, Sendable, CustomStringConvertible {}

extension OpenVocabulary {
    public var description: String { rawValue }
}

/// The outcome of one case, as DESIGN.md defines them.
///
/// An open set of string constants rather than a closed enum, so a later version can add an outcome without
/// breaking readers that switch over the known ones (the ArgumentParser `ExitCode` pattern).
public struct Outcome: OpenVocabulary {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Matched the vector or scenario.
    public static let pass = Outcome(rawValue: "pass")
    /// Wrong answer or wrong error class.
    public static let fail = Outcome(rawValue: "fail")
    /// The target died while handling the case (after one retry on a fresh target).
    public static let crash = Outcome(rawValue: "crash")
    /// No answer within the per-case timeout.
    public static let timeout = Outcome(rawValue: "timeout")
    /// The target did not declare the capability, or answered `unsupported`.
    public static let unsupported = Outcome(rawValue: "unsupported")
    /// Filtered out or disabled by the expectations file.
    public static let skipped = Outcome(rawValue: "skipped")
    /// Failed, as the expectations file says it will.
    public static let xfail = Outcome(rawValue: "xfail")
    /// Listed as an expected failure but passed: a stale expectation.
    public static let xpass = Outcome(rawValue: "xpass")
    /// A harness or infrastructure problem, never blamed on the target.
    public static let error = Outcome(rawValue: "error")

    /// Every outcome, in report order.
    public static let all: [Outcome] = [.pass, .fail, .crash, .timeout, .unsupported, .skipped, .xfail, .xpass, .error]

    /// Outcomes that mean the target did not meet expectations (exit code 1).
    public var isUnexpected: Bool { self == .fail || self == .crash || self == .timeout || self == .xpass }
}

/// The verdict on one area (ACVP's vector-set disposition).
public struct Disposition: OpenVocabulary {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Every required case passed (or failed as expected); nothing unexpected; nothing stale.
    public static let conformant = Disposition(rawValue: "conformant")
    /// A required case failed, or any case crashed, timed out or passed unexpectedly.
    public static let nonconformant = Disposition(rawValue: "nonconformant")
    /// Required cases unsupported or unanswered, or a harness error.
    public static let incomplete = Disposition(rawValue: "incomplete")

    var severity: Int {
        switch self {
        case .nonconformant: 2
        case .incomplete: 1
        default: 0
        }
    }
}
