import Foundation

/// Reads and writes `results.json`, schema `b2c-results_v1`: the one source of truth of a run (spec-notes C.6).
public enum ResultsJSON {
    /// `r` as pretty-printed JSON with sorted keys and a trailing newline, so runs diff well and compare byte for byte.
    public static func encode(_ r: RunResults) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var bytes = [UInt8](try encoder.encode(r))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Reads a `results.json`. It first peeks at `schema` alone and refuses any schema but `b2c-results_v1`, so a file
    /// from a newer major version is reported as such rather than as a confusing missing field.
    public static func decode(_ bytes: [UInt8]) throws(ResultsError) -> RunResults {
        let data = Data(bytes)
        let decoder = JSONDecoder()
        let peek: SchemaPeek
        do {
            peek = try decoder.decode(SchemaPeek.self, from: data)
        } catch {
            throw describe(error)
        }
        guard let schema = peek.schema else {
            throw ResultsError(code: .missingField, reason: "missing field schema (expected \(RunResults.schemaName))")
        }
        guard schema == RunResults.schemaName else {
            throw ResultsError(
                code: .unknownSchema,
                reason: "unknown schema \(quoted(schema)); this reader understands \(RunResults.schemaName)"
            )
        }
        do {
            return try decoder.decode(RunResults.self, from: data)
        } catch {
            throw describe(error)
        }
    }

    /// Only the `schema` field, read before anything else.
    private struct SchemaPeek: Decodable {
        var schema: String?
    }

    /// A `ResultsError` naming the problem a decoder reported.
    private static func describe(_ error: any Error) -> ResultsError {
        guard let error = error as? DecodingError else {
            return ResultsError(code: .notJSON, reason: "not JSON (\(oneLine(String(describing: error))))")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return ResultsError(code: .missingField, reason: "missing field \(path(context.codingPath + [key]))")
        case .valueNotFound(_, let context):
            return ResultsError(code: .missingField, reason: "missing field \(path(context.codingPath)) (null)")
        case .typeMismatch(let type, let context):
            return ResultsError(
                code: .invalidField,
                reason: "field \(path(context.codingPath)) is not \(typeName(type))"
            )
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return ResultsError(code: .notJSON, reason: "not JSON (\(oneLine(context.debugDescription)))")
        case .dataCorrupted(let context):
            return ResultsError(
                code: .invalidField,
                reason: "field \(path(context.codingPath)) is invalid (\(oneLine(context.debugDescription)))"
            )
        @unknown default:
            return ResultsError(code: .invalidField, reason: oneLine(String(describing: error)))
        }
    }

    /// A coding path as `cases[3].expected.result`; `top level` when empty.
    private static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out.isEmpty ? "top level" : out
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int32.Type, is Int64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }

    private static func quoted(_ s: String) -> String {
        "\"" + oneLine(s.count > 80 ? String(s.prefix(80)) + "…" : s) + "\""
    }

    /// `s` with line breaks and other controls replaced by spaces, so a description stays on one line.
    private static func oneLine(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }
}
