import B2CBoot
import B2CCBOR
import B2CImage
import B2CSMP
import B2CSMPServer

/// libFuzzer entry of `FuzzSMPServer`: see ``fuzzSMPServer(_:)-([UInt8])``.
public func fuzzSMPServer(_ data: UnsafeRawBufferPointer) {
    fuzzSMPServer(Array(data))
}

/// Drives the SMP server core (`SMPServer`) with packets and checks what it answers.
///
/// Input: a control byte (bit 0: start in serial recovery; bits 1–2: the strategy, move, scratch, overwrite-only,
/// move), then packets, each a 2-byte big-endian length (taken modulo 4096) and that many bytes (fewer at the end).
/// Traps (via `fatalError`) on the first violated property; see ``SMPServerFuzzChecks/server(_:)``.
public func fuzzSMPServer(_ bytes: [UInt8]) {
    if let finding = SMPServerFuzzChecks.server(bytes) { fuzzFailure("FuzzSMPServer", finding, bytes) }
}

/// Property checks of the SMP server core: nil, or a description of the first property violated.
public enum SMPServerFuzzChecks {
    /// A small device (16 sectors of 1 KiB a slot) with a hash-only factory image and no signature check, so any
    /// uploaded image with a valid header and hash TLV can boot.
    static func device(_ strategy: BootConfiguration.Strategy) -> BootDevice? {
        let layout = TrailerLayout(maxAlign: 8, maxImageSectors: 16)
        let config = BootConfiguration(strategy: strategy, verifier: nil, layout: layout)
        var options = ImageSignOptions(headerSize: 0x20, version: ImageVersion(major: 1), slotSize: 16 * 1024)
        options.padHeader = true
        guard var d = try? BootDevice(configuration: config, sectorSize: 1024, slotSectors: 16, writeSize: 8),
            let image = try? ImageBuilder.sign([UInt8](repeating: 0x42, count: 1000), options: options),
            (try? d.write(slot: .primary, offset: 0, bytes: image)) != nil
        else { return nil }
        return d
    }

    static let strategies: [BootConfiguration.Strategy] = [
        .swapUsingMove, .swapUsingScratch, .overwriteOnly, .swapUsingMove,
    ]
    /// Booted once per strategy and mode; each input starts from a copy.
    static let servers: [SMPServer?] = strategies.flatMap { s in
        [SMPServer.Mode.application, .recovery].map { mode in device(s).map { SMPServer(device: $0, mode: mode) } }
    }

    /// The properties of ``fuzzSMPServer(_:)-([UInt8])``, for every packet:
    /// - no more answers than the packet holds messages (a header and its announced data, the last one possibly
    ///   short), and none to a packet of fewer than 8 bytes;
    /// - every answer is one SMP message whose Data Length is its data's length, at most the advertised `buf_size`
    ///   with the serial framing's 4 bytes, whose data is one CBOR map with text keys;
    /// - every answer answers one of the packet's request headers: op + 1, group, command and sequence copied,
    ///   flags 0, version that of the request clamped to 1; a version-0 request never gets an `err` map; in
    ///   serial recovery every answer carries `rc`;
    /// - after the packet (and the reset it asked for), the server still answers an echo with its text.
    public static func server(_ bytes: [UInt8]) -> String? {
        guard let control = bytes.first else { return nil }
        let index = Int(control >> 1 & 3) * 2 + Int(control & 1)
        guard index < servers.count, var server = servers[index] else { return "the fuzz device cannot be built" }
        var i = 1
        var n = 0
        while i < bytes.count {
            let length = i + 1 < bytes.count ? (Int(bytes[i]) << 8 | Int(bytes[i + 1])) % 4096 : 0
            i += 2
            let packet = Array(bytes[min(i, bytes.count)..<min(bytes.count, i + length)])
            i += length
            n += 1
            if let finding = check(&server, packet) { return "packet \(n): \(finding)" }
        }
        return nil
    }

    static func check(_ server: inout SMPServer, _ packet: [UInt8]) -> String? {
        var requests: [SMPHeader] = []
        var start = 0
        while packet.count - start >= SMPHeader.size, let h = try? SMPHeader(decoding: packet[start...]) {
            requests.append(h)
            start += SMPHeader.size + Int(h.length)
        }
        let recovery = server.mode == .recovery
        let limit = Int(recovery ? server.configuration.recoveryBufSize : server.configuration.bufSize) - 4
        let out = server.receive(packet: packet)
        if out.responses.count > requests.count {
            return "\(out.responses.count) answers to \(requests.count) messages"
        }
        var used = Set<Int>()
        for r in out.responses {
            guard let m = try? SMPMessage.decode(r) else { return "an answer is not one SMP message" }
            guard r.count <= limit else { return "an answer of \(r.count) bytes, over \(limit)" }
            guard let map = try? m.map() else { return "an answer's data is not a CBOR map: \(m.body)" }
            let h = m.header
            guard
                let k = requests.indices.first(where: { j in
                    !used.contains(j) && h.answers(requests[j])
                })
            else { return "answer \(h) matches no request" }
            used.insert(k)
            let q = requests[k]
            guard h.flags == 0, h.reserved == 0 else { return "answer \(h) has flags or reserved bits" }
            guard h.version.rawValue == min(1, q.version.rawValue) else { return "answer \(h) to \(q)" }
            if q.version == .v1, (try? map.value("err")) != nil { return "an err map answers a v1 request" }
            if recovery, (try? map.value("rc")) == nil { return "a recovery answer without rc: \(m.body)" }
        }
        if out.reset { server.reset() }
        // Still alive: an echo comes back.
        guard let echo = try? SMPMessage.request(SMPEchoRequest("alive"), sequence: 0x77),
            let reply = server.receive(packet: echo.encoded).responses.first,
            let m = try? SMPMessage.decode(reply), case .success(let e)? = try? m.reply(SMPEchoResponse.self),
            e.r == "alive"
        else { return "no echo after the packet" }
        return nil
    }
}
