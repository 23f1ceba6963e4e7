import B2CVectors
import B2CWire

/// The areas a build knows, looked up by name, vector schema, device operation and violation rule.
///
/// Registration happens once, in the list an executable passes in (`BuiltInAreas.registry`); tests make registries
/// of their own. Two areas claiming the same name, schema, operation or rule is a programming error that
/// ``conflicts`` reports and `b2c` refuses to run with.
public struct AreaRegistry: Sendable {
    public let areas: [any Area]
    /// Every name, schema, operation or rule claimed twice (the first claim wins the lookups).
    public let conflicts: [String]
    /// Every device operation, in registration order (read once: an area builds its list on each call).
    public let operations: [DeviceOperation]
    private let bySchema: [String: Int]
    private let byOperation: [String: DeviceOperation]

    public init(_ areas: [any Area]) {
        self.areas = areas
        var conflicts: [String] = []
        var names = Set<String>()
        var rules = Set<String>()
        var bySchema: [String: Int] = [:]
        var byOperation: [String: DeviceOperation] = [:]
        var operations: [DeviceOperation] = []
        for (i, area) in areas.enumerated() {
            if !names.insert(area.name).inserted { conflicts.append("area \(area.name) is registered twice") }
            for schema in area.schemas {
                if bySchema[schema] != nil {
                    conflicts.append("schema \(schema) is claimed by two areas")
                } else {
                    bySchema[schema] = i
                }
            }
            for operation in area.operations {
                operations.append(operation)
                if byOperation[operation.op] != nil {
                    conflicts.append("operation \(operation.op) is served by two areas")
                } else {
                    byOperation[operation.op] = operation
                }
            }
            for rule in area.violations where !rules.insert(rule.id).inserted {
                conflicts.append("violation rule \(rule.id) is declared twice")
            }
        }
        self.conflicts = conflicts
        self.bySchema = bySchema
        self.byOperation = byOperation
        self.operations = operations
    }

    /// The area that reads vector files of `schema`.
    public func area(forSchema schema: String) -> (any Area)? { bySchema[schema].map { areas[$0] } }

    /// The device operation named `op` (asked once per request the reference device serves).
    public func operation(_ op: String) -> DeviceOperation? { byOperation[op] }

    /// Every area's generator inputs (pins files), relative to the vectors directory.
    public var generatorInputPaths: [String] { areas.flatMap(\.generatorInputPaths) }

    /// Every violation rule, in registration order.
    public var violationRules: [ViolationRule] { areas.flatMap(\.violations) }

    /// What the reference device declares in `hello`: each operation with its capability object.
    public var capabilities: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for operation in operations where out[operation.op] == nil { out[operation.op] = .object(operation.capability) }
        return out
    }

    /// Runs every area's generator; file paths, blobs and inputs are merged (a path made twice is an error).
    public func generate(inputs: GeneratorInputs) throws(VectorError) -> GeneratedVectors {
        var all = GeneratedVectors()
        for area in areas {
            try all.merge(try area.generate(inputs: inputs))
        }
        return all
    }
}
