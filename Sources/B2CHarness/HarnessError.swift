/// A usage or configuration problem: one line naming what and where. The CLI prints it and exits 2.
public struct HarnessError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
