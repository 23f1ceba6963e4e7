import B2CVectors
import B2CWire

/// One area of the chain (cbor, mcuboot, and later smp, cose, keys, tls, provisioning), declared in one place: the
/// vector schemas it reads and how they become cases, the generator of its vector files, the device operations the
/// reference implements, and the rules the reference can be told to break.
///
/// The engine knows areas only through an ``AreaRegistry``: the catalogue, `b2c vectors`, the reference device and
/// `--violate` are lookups in it, so adding an area touches no engine file (`docs/adding-an-area.md`).
public protocol Area: Sendable {
    /// The first part of every case id (`cbor`); also the `area` of its vector files.
    var name: String { get }
    /// The vector schemas this area reads (`cbor_decode_test_schema_v1`).
    var schemas: [String] { get }
    /// The cases of one vector file of one of ``schemas``. Blobs come from `store`; the area does no file I/O.
    func cases(from file: LoadedVectorFile, store: VectorStore) throws(VectorError) -> [ConformanceCase]
    /// Writes the area's vector files from its committed generators; `inputs` reads generator inputs such as pins.
    func generate(inputs: GeneratorInputs) throws(VectorError) -> GeneratedVectors
    /// The generator inputs this area keeps in the vectors directory (pins), relative paths; not vector files.
    var generatorInputPaths: [String] { get }
    /// The operations the reference device serves for this area.
    var operations: [DeviceOperation] { get }
    /// The rules of this area the reference device can break on purpose.
    var violations: [ViolationRule] { get }
    /// What differs between an expected and a received output field of this area's operations, in words that do not
    /// depend on the case (`same items, different map order`); nil leaves it to the generic byte comparison.
    func explainMismatch(field: String, expected: [UInt8], got: [UInt8]) -> String?
}

extension Area {
    public var generatorInputPaths: [String] { [] }
    public func explainMismatch(field: String, expected: [UInt8], got: [UInt8]) -> String? { nil }
}

/// A rule the reference device can be told to break (`--violate ID`), so a test can prove the suite catches it.
public struct ViolationRule: Sendable, Hashable {
    /// Dotted, starting with the area's name: `cbor.accept-duplicate-keys`.
    public var id: String
    public var summary: String

    public init(id: String, summary: String) {
        self.id = id
        self.summary = summary
    }
}

/// The rules a device run was told to break.
public struct ViolationSet: Sendable, Equatable {
    public var ids: Set<String>
    public init(_ ids: Set<String> = []) { self.ids = ids }

    public func contains(_ id: String) -> Bool { ids.contains(id) }
    /// For an area's own enum of rules (`CBORViolation.acceptTrailingBytes`).
    public func contains<R: RawRepresentable<String>>(_ rule: R) -> Bool { ids.contains(rule.rawValue) }
}

/// An operation of the reference device: its name, what it declares under that name in `hello`, and its handler.
public struct DeviceOperation: Sendable {
    public typealias Handler = @Sendable (_ args: [String: JSONValue], _ violations: ViolationSet) -> WireResponse.Body

    /// Dotted, starting with an area's name: `cbor.decode`.
    public var op: String
    /// The capability object declared for `op` (`{"profiles": ["valid", "deterministic"]}`).
    public var capability: [String: JSONValue]
    public var handle: Handler

    public init(op: String, capability: [String: JSONValue] = [:], handle: @escaping Handler) {
        self.op = op
        self.capability = capability
        self.handle = handle
    }
}
