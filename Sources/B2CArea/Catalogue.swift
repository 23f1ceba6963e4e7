import B2CReport
import B2CVectors
import B2CWire

/// The catalogue of conformance cases: every vector file of the store, turned into cases by the area registered
/// for its schema. Adding vectors or an area never touches the engine.
public enum Catalogue {
    /// Every case of every file in `store`, in manifest order. Each file is checked against its manifest hash.
    public static func load(store: VectorStore, registry: AreaRegistry) throws(VectorError) -> [ConformanceCase] {
        var cases: [ConformanceCase] = []
        for loaded in try store.loadFiles() {
            guard let area = registry.area(forSchema: loaded.file.schema) else {
                throw VectorError(
                    .unknownSchema,
                    file: loaded.path,
                    reason: "no area reads schema \(loaded.file.schema)"
                )
            }
            let explain: OutputExplainer = { area.explainMismatch(field: $0, expected: $1, got: $2) }
            for var c in try area.cases(from: loaded, store: store) {
                c.explain = explain
                cases.append(c)
            }
        }
        return cases
    }

    /// The cases whose area or suite is in `suites` (all if empty) and whose id matches one of `filters` (all if
    /// empty).
    public static func select(_ cases: [ConformanceCase], suites: [String], filters: [String]) -> [ConformanceCase] {
        cases.filter { c in
            (suites.isEmpty || suites.contains(c.info.area) || suites.contains(c.info.suite))
                && (filters.isEmpty || filters.contains { Glob.matches($0, c.id) })
        }
    }

    /// The record of a vector case: id `area/suite/tcN`, the spec references of its flags, its origin.
    public static func info(_ t: VectorFile.TestCase, of loaded: LoadedVectorFile, suite: String, level: String)
        -> CaseInfo
    {
        info(t, of: loaded, id: "\(loaded.file.area)/\(suite)/tc\(t.tcId)", suite: suite, level: level)
    }

    /// The record of a case made from vector case `t` under another id (a derived suite).
    public static func info(
        _ t: VectorFile.TestCase,
        of loaded: LoadedVectorFile,
        id: String,
        suite: String,
        level: String,
        specRefs: [String]? = nil
    ) -> CaseInfo {
        let refs = specRefs ?? Array(Set(t.flags.flatMap { loaded.file.notes[$0]?.specRefs ?? [] })).sorted()
        return CaseInfo(
            id: id,
            area: loaded.file.area,
            suite: suite,
            level: level,
            flags: t.flags,
            comment: t.comment.isEmpty ? nil : t.comment,
            specRefs: refs,
            vector: VectorRef(file: loaded.path, tcId: t.tcId)
        )
    }
}

extension ExpectedResult {
    /// A vector case's `result`.
    public init(_ result: VectorFile.Result) {
        switch result {
        case .valid: self = .valid
        case .invalid: self = .invalid
        case .acceptable: self = .acceptable
        }
    }
}
