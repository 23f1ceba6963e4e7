import B2CCBOR
import B2CSMP
import B2CWire
import Crypto

/// Uploads an image over SMP the way the notes say a client must (smp.md §5.2 and §10): each message as large as the
/// device takes (`buf_size` from MCUmgr params, less the serial frame's 4 bytes) and, on a serial line, cut so every
/// line is full; the first chunk carrying `len` and the file's SHA-256 with a long timeout (the device erases the
/// slot then); always continuing from the `off` the device returns (MCUboot rounds it to its write block, any
/// server may ask for a chunk again); resuming after a dropped line or a device reset by sending the first chunk
/// again with the same `sha`; and checking `match` on the last answer.
public final class SMPUploader {
    public struct Options: Sendable {
        /// The request's `image` (image number, or slot + 1 with direct upload); nil leaves it out.
        public var image: UInt32?
        /// Ask the device to refuse an image that is not newer than the running one.
        public var upgrade = false
        public var firstChunkTimeoutMs = 40_000
        public var chunkTimeoutMs = 5_000
        /// Tries of one chunk (timeouts, a dropped line) before the upload gives up.
        public var attempts = 5
        /// The message size to use instead of the device's advertised one.
        public var maxMessageBytes: Int?
        /// Used when the device does not answer MCUmgr params (MCUboot serial recovery without it).
        public var fallbackMessageBytes = 384
        public init() {}
    }

    public struct Result: Sendable, Equatable {
        public var bytes: Int
        public var requests: Int
        /// Chunks sent again (a timeout, a dropped line, a device asking for another offset).
        public var resent: Int
        /// Reconnections after the line dropped.
        public var reconnects: Int
        /// The device's `match` on the last answer, when it gave one.
        public var match: Bool?
        /// The message size used.
        public var messageBytes: Int
    }

    public private(set) var client: SMPClient
    public var options: Options
    /// Makes a fresh client after the link dropped (a serial connector reconnecting); nil: a drop ends the upload.
    public var reconnect: (() throws(SMPClientError) -> SMPClient)?

    public init(client: SMPClient, options: Options = Options()) {
        self.client = client
        self.options = options
    }

    /// The largest message the device takes: its `buf_size` less the serial frame's length and CRC.
    public func messageBudget() -> Int {
        if let m = options.maxMessageBytes { return max(64, m) }
        let params = try? client.call(SMPParamsRequest(), expecting: SMPParamsResponse.self, timeoutMs: 2000)
        guard let size = params?.bufSize, size > 64 else { return options.fallbackMessageBytes }
        let framing = isSerial ? 4 : 0
        return Int(min(size, 65_535)) - framing
    }

    var isSerial: Bool {
        if case .serial = client.link { return true }
        return false
    }

    /// Uploads `image`; `progress` gets (bytes the device has, total) after every answer.
    public func upload(_ image: [UInt8], progress: (Int, Int) -> Void = { _, _ in }) throws(SMPClientError) -> Result {
        guard !image.isEmpty, image.count <= Int(UInt32.max) else {
            throw SMPClientError(.upload, "the image is empty or larger than 4 GiB")
        }
        let budget = messageBudget()
        let sha = Array(SHA256.hash(data: image))
        var result = Result(bytes: image.count, requests: 0, resent: 0, reconnects: 0, match: nil, messageBytes: budget)
        var off = 0
        var first = true
        var failures = 0
        var lastOff = -1
        var stalled = 0
        while true {
            let chunk = chunkRequest(image, off: off, first: first, sha: sha, budget: budget)
            let answer: SMPImageUploadResponse
            do {
                result.requests += 1
                answer = try client.call(
                    chunk,
                    expecting: SMPImageUploadResponse.self,
                    timeoutMs: first ? options.firstChunkTimeoutMs : options.chunkTimeoutMs
                )
                failures = 0
            } catch  where error.kind == .timeout || error.kind == .linkDown {
                failures += 1
                result.resent += 1
                guard failures < options.attempts else {
                    throw SMPClientError(error.kind, "upload stopped at byte \(off) of \(image.count): \(error.reason)")
                }
                if error.kind == .linkDown {
                    guard let reconnect else { throw error }
                    client = try reconnect()
                    result.reconnects += 1
                    // The device may have reset: the first chunk again, with the same sha, lets it resume.
                    first = true
                    off = 0
                }
                continue
            }
            let next = Int(answer.off)
            guard next <= image.count else {
                throw SMPClientError(.upload, "the device asks for byte \(next) of a \(image.count)-byte image")
            }
            if next != off + (chunk.data?.count ?? 0) && !(first && next > 0) { result.resent += 1 }
            progress(next, image.count)
            if next == image.count {
                result.match = answer.match
                if answer.match == false {
                    throw SMPClientError(.upload, "the device's SHA-256 of the upload does not match the image's")
                }
                return result
            }
            stalled = next == lastOff ? stalled + 1 : 0
            guard stalled < options.attempts else {
                throw SMPClientError(.upload, "the device stays at byte \(next) of \(image.count)")
            }
            lastOff = next
            off = next
            first = false
        }
    }

    /// The request for the chunk at `off`: as much data as fits `budget`, and on a serial line no more than fills
    /// whole lines when the budget allows several.
    func chunkRequest(_ image: [UInt8], off: Int, first: Bool, sha: [UInt8], budget: Int) -> SMPImageUploadRequest {
        var request = SMPImageUploadRequest(
            off: UInt32(off),
            data: [],
            len: first ? UInt32(image.count) : nil,
            sha: first ? sha : nil,
            image: first ? options.image : nil,
            upgrade: first && options.upgrade ? true : nil
        )
        let remaining = image.count - off
        func size(_ n: Int) -> Int {
            request.data = [UInt8](repeating: 0, count: n)
            return SMPHeader.size + CBOREncoder.encodeDeterministic(request.cbor).count
        }
        // The bstr head is 1 to 3 bytes: start from the overhead with an empty bstr and step.
        var n = max(0, min(remaining, budget - size(0) - 2))
        while n < remaining && size(n + 1) <= budget { n += 1 }
        while n > 0 && size(n) > budget { n -= 1 }
        // A full serial line carries 93 bytes of length + message + CRC: drop the part of a last short line.
        if isSerial && client.lineStyle == .fill && n < remaining {
            let framed = size(n) + 4
            let lines = 93
            if framed >= 4 * lines {
                n = max(1, n - framed % lines)
            }
        }
        // Zephyr wants at least 32 bytes in the first chunk (it reads the image header from it).
        if first { n = max(n, min(32, remaining)) }
        request.data = Array(image[off..<(off + n)])
        return request
    }
}
