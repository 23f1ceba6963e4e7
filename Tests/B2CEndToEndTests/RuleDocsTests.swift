import B2CReport
import B2CTestSupport
import Foundation
import Testing

/// The rule texts a report links to are files a user has: `docs/rules/<area>.md`, one heading per rule id.
@Suite("Rule texts under docs/rules")
struct RuleDocsTests {
    /// Every vector file under vectors/, parsed.
    static func vectorFiles() throws -> [(path: String, json: [String: Any])] {
        let root = repoRoot + "/vectors"
        let paths = try FileManager.default.subpathsOfDirectory(atPath: root)
            .filter { $0.hasSuffix("_test.json") }.sorted()
        return try paths.map { path in
            let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
            return (path, (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
        }
    }

    /// The headings of a Markdown file, without their `#` marks.
    static func headings(_ path: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Set(
            text.split(separator: "\n").filter { $0.hasPrefix("#") }.map {
                $0.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            }
        )
    }

    @Test("Every rule id a vector case carries has a text in docs/rules/<area>.md, with a statement and a source")
    func everyFlagDocumented() throws {
        let files = try Self.vectorFiles()
        #expect(files.count >= 8)
        var checked = 0
        for (path, json) in files {
            let area = try #require(json["area"] as? String, "\(path)")
            let doc = repoRoot + "/docs/rules/\(area).md"
            let headings = try Self.headings(doc)
            let text = try String(contentsOfFile: doc, encoding: .utf8)
            let groups = json["testGroups"] as? [[String: Any]] ?? []
            let flags = Set(
                groups.flatMap { ($0["tests"] as? [[String: Any]]) ?? [] }.flatMap { ($0["flags"] as? [String]) ?? [] }
            )
            for flag in flags.sorted() {
                #expect(headings.contains(flag), "\(path): rule \(flag) has no heading in docs/rules/\(area).md")
                // The section: a statement paragraph and a source line before the next heading.
                if let range = text.range(of: "# \(flag)\n") {
                    let rest = text[range.upperBound...]
                    let section = rest[..<(rest.range(of: "\n#")?.lowerBound ?? rest.endIndex)]
                    #expect(section.contains("Source:"), "\(flag): no source")
                    #expect(section.split(separator: "\n").count >= 2, "\(flag): no statement")
                }
                // The anchor a report links to is the one a Markdown renderer makes of the heading.
                #expect(RuleLinks.anchor(flag) == flag.lowercased())
                checked += 1
            }
        }
        #expect(checked > 40)
    }

    @Test("Spec references name the spec or the bootloader's code, never notes a user does not have")
    func specRefsArePrimary() throws {
        for (path, json) in try Self.vectorFiles() {
            let notes = json["notes"] as? [String: [String: Any]] ?? [:]
            for (flag, note) in notes {
                for ref in (note["specRefs"] as? [String]) ?? [] {
                    #expect(!ref.lowercased().contains("notes") && !ref.contains("shared"), "\(path) \(flag): \(ref)")
                }
            }
        }
    }
}

extension RuleDocsTests {
    @Test("Every rule `b2c image lint` reports has a text it points to")
    func everyLintRuleDocumented() throws {
        let headings = Set(try Self.headings(repoRoot + "/docs/rules/mcuboot.md").map { $0.lowercased() })
        var rules = Set<String>()
        for file in ["ImageLinter.swift", "ImageLinter+TLVs.swift"] {
            let text = try String(contentsOfFile: repoRoot + "/Sources/B2CImage/" + file, encoding: .utf8)
            let re = try NSRegularExpression(pattern: #"(?:warn|error)\(\s*"([^"]+)""#)
            let ns = text as NSString
            for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                rules.insert(ns.substring(with: m.range(at: 1)))
            }
        }
        #expect(rules.count > 20)
        for rule in rules.sorted() {
            #expect(headings.contains(rule.lowercased()), "lint rule \(rule) has no heading in docs/rules/mcuboot.md")
        }
        // The layout findings name rules through a table, not a call.
        for rule in ["N4", "N5", "N6", "N7", "N8", "layout"] { #expect(headings.contains(rule.lowercased())) }
    }
}
