import ArgumentParser
import B2CImage
import Crypto
import Foundation

/// `b2c image bench`: in-process verification throughput of one image, beside the SHA-256 throughput of the same
/// bytes on this machine (swift-crypto, so the same BoringSSL code the verifier hashes with). One JSON line.
struct ImageBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Verify one image repeatedly for at least --seconds; print one JSON line."
    )
    @OptionGroup var bootloader: BootloaderOptions
    @Option(name: .long, help: "Minimum seconds for each of the two measurements.") var seconds = 1.0
    @Argument var image: String

    func run() throws {
        let bytes = try readFile(image)
        let verifier = ImageVerifier(try bootloader.configuration(for: bytes))
        let region: [UInt8]
        do { region = Array(try verifier.verify(bytes).plaintext[try MCUbootImage(parsing: bytes).hashedRegion]) } catch
        {
            throw CLIError("\(image): not valid under this configuration: \(error)")
        }
        func measure(_ body: () -> Bool) -> (count: Int, elapsed: Double) {
            var n = 0
            let start = DispatchTime.now().uptimeNanoseconds
            var elapsed = 0.0
            repeat {
                guard body() else { return (0, 0) }
                n += 1
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < seconds
            return (n, elapsed)
        }
        let v = measure { (try? verifier.verify(bytes)) != nil }
        guard v.count > 0 else { throw CLIError("verification failed during the benchmark") }
        var sink: UInt8 = 0
        let h = measure {
            sink &+= SHA256.hash(data: region).withUnsafeBytes { $0[0] }
            return true
        }
        let mb = Double(region.count) / 1e6
        let line = String(
            format:
                #"{"impl":"b2c","bytes":%d,"verifies":%d,"verifySeconds":%.6f,"verifyMBps":%.1f,"verifiesPerSec":%.1f,"sha256MBps":%.1f,"sink":%d}"#,
            region.count,
            v.count,
            v.elapsed,
            Double(v.count) * mb / v.elapsed,
            Double(v.count) / v.elapsed,
            Double(h.count) * mb / h.elapsed,
            Int(sink)
        )
        Console.out(line + "\n")
    }
}
