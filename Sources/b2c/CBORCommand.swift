import ArgumentParser
import B2CCBOR
import B2CHex
import B2CWire
import Foundation

struct CBORCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cbor",
        abstract: "CBOR tools (RFC 8949).",
        subcommands: [Diag.self, Bench.self]
    )

    struct Diag: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the diagnostic notation of one CBOR item, or its error code and byte offset (exit 1)."
        )

        @Argument(help: "File with one CBOR item, or - for stdin.")
        var file: String

        @Flag(name: .long, help: "Also require core deterministic encoding (RFC 8949 §4.2.1).")
        var deterministic = false

        @Flag(name: .long, help: "The input is hex text (whitespace ignored).")
        var hex = false

        @Flag(name: .long, help: "Do not mark non-preferred encodings with _0…_3.")
        var noIndicators = false

        func run() throws {
            var bytes =
                file == "-" ? Array(FileHandle.standardInput.readDataToEndOfFile()) : try FileAccess.read(file)
            if hex {
                let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
                guard let decoded = Hex.decode(text) else {
                    throw CLIError("\(file): --hex input is not hex (odd length or a non-hex character)")
                }
                bytes = decoded
            }
            do {
                let text = try CBORDiagnostic.render(
                    bytes,
                    options: deterministic ? .deterministic : .valid,
                    encodingIndicators: !noIndicators
                )
                Console.out(text + "\n")
            } catch {
                Console.out("\(error.code) at offset \(error.offset): \(error.reason)\n")
                throw ExitCode(1)
            }
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode each file (one CBOR item) repeatedly for at least a second; print one JSON line."
        )

        @Argument(help: "Input files, one item each.")
        var files: [String]

        @Option(name: .long, help: "Minimum seconds to run.")
        var seconds: Double = 1.0

        func run() throws {
            var inputs: [[UInt8]] = []
            for f in files {
                let d = try FileAccess.read(f)
                let bytes = Array(d)
                do {
                    _ = try CBORDecoder.decode(bytes)
                } catch {
                    throw CLIError("\(f): not one valid CBOR item: \(error)")
                }
                inputs.append(bytes)
            }
            guard !inputs.isEmpty else { throw CLIError("no input files") }
            var items = 0
            var byteCount = 0
            var consumed = 0  // used below, so the decoding cannot be optimised away
            let start = DispatchTime.now().uptimeNanoseconds
            var elapsed: Double = 0
            repeat {
                for input in inputs {
                    consumed &+= (try? CBORDecoder.decodePrefix(input))?.consumed ?? 0
                    items += 1
                    byteCount += input.count
                }
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < seconds
            guard consumed == byteCount else { throw CLIError("an input stopped decoding during the benchmark") }
            let mbPerSec = String(format: "%.3f", Double(byteCount) / elapsed / 1e6)
            let itemsPerSec = String(format: "%.1f", Double(items) / elapsed)
            let line =
                #"{"impl":"b2c","version":"\#(B2C.version)","items":\#(items),"bytes":\#(byteCount),"#
                + #""seconds":\#(String(format: "%.6f", elapsed)),"mbPerSec":\#(mbPerSec),"itemsPerSec":\#(itemsPerSec)}"#
            Console.out(line + "\n")
        }
    }
}
