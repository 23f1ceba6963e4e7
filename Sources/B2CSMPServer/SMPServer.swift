import B2CBoot
import B2CCBOR
import B2CImage
import B2CSMP
import Crypto

/// An SMP server over a ``BootDevice``, sans-I/O: one transport packet (a reassembled serial frame, a datagram) goes
/// in, the response messages come out, and the caller performs the reset it asks for with ``reset()``. Total: every
/// byte string is answered or ignored, nothing traps, and what it holds is bounded by the device's flash and one
/// upload session.
///
/// As an application it behaves as Zephyr's `smp.c` (`smp_process_request_packet`, `smp_handle_single_req`) with the
/// OS group (`os_mgmt.c`) and the image group (`img_mgmt.c`, `img_mgmt_state.c`, `zephyr_img_mgmt.c`); in serial
/// recovery (``Mode/recovery``) as MCUboot's `boot_serial.c`: v1-style `{"rc": n}` answers, uploads written to the
/// primary slot, no swap.
public struct SMPServer: Sendable {
    /// Who answers: the application (Zephyr's mcumgr), or the bootloader in serial recovery.
    public enum Mode: String, Hashable, Sendable {
        case application, recovery
    }

    public struct Configuration: Sendable {
        /// `CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE`: what MCUmgr parameters report; the largest request a transport
        /// should pass in is this less the serial framing's 4 bytes.
        public var bufSize: UInt32 = 2048
        public var bufCount: UInt32 = 4
        /// Serial recovery's receive buffer (`MCUBOOT_SERIAL_MAX_RECEIVE_SIZE`).
        public var recoveryBufSize: UInt32 = 1024
        /// The rules to break on purpose.
        public var violations: Set<SMPViolation> = []
        /// The fields of OS/application info, by format letter (`os_mgmt_info`).
        public var kernelName = "b2c"
        public var nodeName = "b2c-device"
        public var release = "0.1.0"
        public var kernelVersion = "smp-server"
        public var machine = "simulated"
        public var processor = "swift"
        public var platform = "b2c-device"
        public var operatingSystem = "b2c"

        public init() {}
    }

    /// What one packet produced.
    public struct Output: Hashable, Sendable {
        /// Encoded response messages (header and data), in order.
        public var responses: [[UInt8]] = []
        /// A reset was requested (and, unless a violation says otherwise, answered first): call ``reset()`` after
        /// sending ``responses``.
        public var reset = false
        public init() {}
    }

    public private(set) var device: BootDevice
    public let configuration: Configuration
    public private(set) var mode: Mode
    /// The last boot: its result, or why no image started.
    public private(set) var lastBoot: Result<BootResult, BootError>?
    /// The upload in progress.
    public private(set) var upload: UploadSession?
    /// The text a date-time write stored; nil until one has (`RTC_NOT_SET`).
    public private(set) var dateTime: String?
    /// Messages handled, for the serial misbehaviours that count them.
    public private(set) var uploadChunks = 0

    /// `g_img_mgmt_state`: where an upload is.
    public struct UploadSession: Hashable, Sendable {
        public let slot: FlashAreaID
        public let size: Int
        public let sha: [UInt8]
        /// Bytes accepted (the `off` answered).
        public internal(set) var off: Int
        /// Bytes programmed: a multiple of the write size until the last chunk.
        var flushed: Int
        /// Bytes accepted and not yet programmed (less than a write unit).
        var staged: [UInt8]
    }

    /// Powers the device on: the bootloader runs once. If no image starts, the server is in serial recovery
    /// (MCUboot's `boot_serial_start` when `boot_go` finds nothing to boot), whatever `mode` says.
    public init(device: BootDevice, configuration: Configuration = Configuration(), mode: Mode = .application) {
        self.device = device
        self.configuration = configuration
        self.mode = mode
        bootNow(stayIn: mode)
    }

    /// The reset a response asked for: the upload is forgotten and the bootloader runs (swap, revert, or nothing).
    /// From recovery, an image that starts ends recovery.
    @discardableResult
    public mutating func reset() -> Result<BootResult, BootError> {
        upload = nil
        bootNow(stayIn: .application)
        return lastBoot ?? .failure(BootError(.noBootableImage, "no boot ran"))
    }

    /// A power cut in the middle of whatever the device was doing (the `reset-mid-upload` misbehaviour): the
    /// upload is lost and the bootloader runs.
    public mutating func powerCycle() { reset() }

    private mutating func bootNow(stayIn requested: Mode) {
        let result: Result<BootResult, BootError>
        do throws(BootError) {
            result = .success(try device.boot())
        } catch {
            result = .failure(error)
        }
        lastBoot = result
        switch result {
        case .success: mode = requested
        case .failure: mode = .recovery
        }
    }

    // MARK: Packets

    /// Handles one transport packet: every message in it in turn (Zephyr processes messages back to back). Bytes
    /// too few for a header are ignored; a header announcing more data than arrived is answered rc 9 and ends the
    /// packet.
    public mutating func receive(packet: [UInt8]) -> Output {
        var out = Output()
        var start = 0
        let v = configuration.violations
        while packet.count - start >= SMPHeader.size {
            let header: SMPHeader
            do throws(SMPError) {
                header = try SMPHeader(decoding: packet[start...])
            } catch {
                break
            }
            let bodyStart = start + SMPHeader.size
            var end = bodyStart + Int(header.length)
            if end > packet.count {
                guard v.contains(.ignoreTruncation) else {
                    if let r = answer(header, status: .rc(.corrupt, reason: nil)) { out.responses.append(r) }
                    break
                }
                end = packet.count
            }
            handle(header, Array(packet[bodyStart..<end]), into: &out)
            start = end
            if out.reset { break }
        }
        return out
    }

    /// The answer to a bad-CRC frame under `smp.answer-bad-crc`: rc 9 to the header the frame seems to carry.
    public func answerCorrupt(_ bytes: [UInt8]) -> [UInt8]? {
        guard let header = try? SMPHeader(decoding: bytes), header.op.isRequest else { return nil }
        return answer(header, status: .rc(.corrupt, reason: nil))
    }

    private mutating func handle(_ header: SMPHeader, _ data: [UInt8], into out: inout Output) {
        let v = configuration.violations
        // Response ops and 4–7: ignored (MCUboot; the notes' HDR-05 allows silence).
        guard header.op.isRequest else { return }
        if header.version.rawValue > 1 && !v.contains(.acceptReservedVersion) {
            if let r = answer(header, status: .rc(.unsupportedTooNew, reason: nil)) { out.responses.append(r) }
            return
        }
        let body = rewrite(header, data)
        let request: SMPRequest
        do throws(SMPError) {
            request = try SMPRequest.decode(header: header, data: body)
        } catch {
            if header.group == .os && header.command == SMPCommandID.OS.reset && header.op == .write
                && error.code != .badCBOR && error.code != .notAMap
            {
                // `os_mgmt_reset` ignores decode errors of its fields: not forced.
                return reset(header, into: &out)
            }
            if v.contains(.echoEmptyData) && header.group == .os && header.command == SMPCommandID.OS.echo
                && data.isEmpty
            {
                return reply(header, SMPEchoResponse(""), into: &out)
            }
            let rc = error.code == .unknownCommand ? SMPReturnCode.notSupported : .invalid
            if let r = answer(header, status: .rc(rc, reason: nil)) { out.responses.append(r) }
            return
        }
        if v.contains(.rejectUnknownKeys), hasUnknownKeys(request, data) {
            if let r = answer(header, status: .rc(.invalid, reason: nil)) { out.responses.append(r) }
            return
        }
        if mode == .recovery { return recovery(header, request, into: &out) }
        switch request {
        case .echo(let e): reply(header, SMPEchoResponse(e.d), into: &out)
        case .reset: reset(header, into: &out)
        case .taskStats:
            let main = SMPTaskStat(
                prio: 0,
                tid: 1,
                state: 0,
                stkuse: 512,
                stksiz: 4096,
                cswcnt: 1,
                runtime: 0,
                lastCheckin: 0,
                nextCheckin: 0
            )
            reply(header, SMPTaskStatsResponse(tasks: [SMPNamed("main", main)]), into: &out)
        case .memoryPoolStats:
            let heap = SMPMemoryPool(blksiz: 8, nblks: 1024, nfree: 512, min: 256)
            reply(header, SMPMemoryPoolStatsResponse(pools: [SMPNamed("heap", heap)]), into: &out)
        case .dateTimeRead:
            guard let dateTime else { return groupError(header, .os, SMPOSErrorCode.rtcNotSet, into: &out) }
            reply(header, SMPDateTimeReadResponse(dateTime), into: &out)
        case .dateTimeWrite(let w):
            guard Self.isDateTime(w.datetime) else {
                return groupError(header, .os, SMPOSErrorCode.invalidFormat, into: &out)
            }
            dateTime = String(w.datetime.prefix(19))
            reply(header, SMPDateTimeWriteResponse(), into: &out)
        case .params:
            reply(
                header,
                SMPParamsResponse(bufSize: configuration.bufSize, bufCount: configuration.bufCount),
                into: &out
            )
        case .osInfo(let r): osInfo(header, r.format, into: &out)
        case .bootloaderInfo(let r): bootloaderInfo(header, r.query, into: &out)
        case .imageStateRead: reply(header, body: stateBody(), into: &out)
        case .imageStateWrite(let w): stateWrite(header, w, into: &out)
        case .imageUpload(let u): imageUpload(header, u, into: &out)
        case .imageErase(let e): erase(header, e.slot, into: &out)
        case .slotInfo: reply(header, slotInfo(), into: &out)
        }
    }

    // MARK: Answers

    /// The answer to `header` carrying `body`, as the violations shape it; nil if the header is no request.
    func answer(_ header: SMPHeader, body: CBOR) -> [UInt8]? {
        let v = configuration.violations
        guard var h = header.responseHeader else { return nil }
        if v.contains(.sameResponseOp) { h.op = header.op }
        if v.contains(.wrongSequence) { h.sequence = header.sequence &+ 1 }
        if v.contains(.v2AnswerToV1) { h.version = .v2 }
        var bytes = CBOREncoder.encodeDeterministic(body)
        // EMSGSIZE when the answer would not fit the buffer the client sized its reads by.
        if bytes.count + SMPHeader.size + 4 > Int(bufSize) {
            bytes = CBOREncoder.encodeDeterministic(SMPStatus.rc(.messageSize, reason: nil).body(answering: .v1))
        }
        return (try? SMPMessage(header: h, body: bytes))?.encoded
    }

    func answer(_ header: SMPHeader, status: SMPStatus) -> [UInt8]? {
        var version = header.version
        if configuration.violations.contains(.v2AnswerToV1) { version = .v2 }
        if configuration.violations.contains(.groupErrorAsRC) { version = .v1 }
        return answer(header, body: status.body(answering: version))
    }

    private var bufSize: UInt32 { mode == .recovery ? configuration.recoveryBufSize : configuration.bufSize }

    private func reply(_ header: SMPHeader, body: CBOR, into out: inout Output) {
        var body = body
        if mode == .recovery, case .map(let pairs) = body {
            body = .map([CBOR.Pair(.text("rc"), .unsigned(0))] + pairs)
        }
        if let r = answer(header, body: body) { out.responses.append(r) }
    }

    private func reply<B: SMPResponseBody>(_ header: SMPHeader, _ b: B, into out: inout Output) {
        reply(header, body: b.cbor, into: &out)
    }

    private func groupError(_ header: SMPHeader, _ group: SMPGroup, _ rc: UInt64, into out: inout Output) {
        let status: SMPStatus
        if mode == .recovery {
            status = .rc(SMPGroupError(group: group, rc: rc).legacyReturnCode, reason: nil)
        } else {
            status = .group(SMPGroupError(group: group, rc: rc))
        }
        if let r = answer(header, status: status) { out.responses.append(r) }
    }

    private func rc(_ header: SMPHeader, _ code: SMPReturnCode, into out: inout Output) {
        if let r = answer(header, status: .rc(code, reason: nil)) { out.responses.append(r) }
    }

    // MARK: OS group

    /// `os_mgmt_reset`: `{}` first, then the reboot (`force` and a reset hook do not apply: nothing refuses).
    private mutating func reset(_ header: SMPHeader, into out: inout Output) {
        if !configuration.violations.contains(.resetWithoutAnswer) { reply(header, SMPResetResponse(), into: &out) }
        out.reset = true
    }

    /// `os_mgmt_info`: the fields of the format letters in their fixed order, one space apart; no format is the
    /// kernel name; an unknown letter is group error 2 INVALID_FORMAT.
    private func osInfo(_ header: SMPHeader, _ format: String?, into out: inout Output) {
        let c = configuration
        let fields: [(Character, String)] = [
            ("s", c.kernelName), ("n", c.nodeName), ("r", c.release), ("v", c.kernelVersion), ("m", c.machine),
            ("p", c.processor), ("i", c.platform), ("o", c.operatingSystem),
        ]
        let letters = format ?? "s"
        var wanted = Set<Character>()
        for ch in letters {
            if ch == "a" {
                wanted.formUnion(fields.map(\.0))
            } else if fields.contains(where: { $0.0 == ch }) {
                wanted.insert(ch)
            } else {
                return groupError(header, .os, SMPOSErrorCode.invalidFormat, into: &out)
            }
        }
        let text = fields.filter { wanted.contains($0.0) }.map(\.1).joined(separator: " ")
        reply(header, SMPOSInfoResponse(text), into: &out)
    }

    /// `os_mgmt_bootloader_info`: the name; for "mode" the strategy's number and `no-downgrade`; any other query
    /// is the handler status 3 (the code's `{"rc": 3}`, not the documented group error).
    private func bootloaderInfo(_ header: SMPHeader, _ query: String?, into out: inout Output) {
        guard let query else { return reply(header, SMPBootloaderInfoResponse(bootloader: "MCUboot"), into: &out) }
        guard query == "mode" else { return rc(header, .invalid, into: &out) }
        let mode: Int64
        switch device.configuration.strategy {
        case .swapUsingScratch: mode = 1
        case .overwriteOnly: mode = 2
        case .swapUsingMove: mode = 3
        }
        let noDowngrade = device.configuration.downgradePrevention != .off ? true : nil
        reply(header, SMPBootloaderInfoResponse(mode: mode, noDowngrade: noDowngrade), into: &out)
    }

    /// `yyyy-MM-ddTHH:mm:ss`, then anything (fractions, a zone): what `datetime_set` parses before its range checks.
    static func isDateTime(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count >= 19 else { return false }
        for (i, c) in b[0..<19].enumerated() {
            switch i {
            case 4, 7: if c != 0x2d { return false }
            case 10: if c != 0x54 { return false }
            case 13, 16: if c != 0x3a { return false }
            default: if c < 0x30 || c > 0x39 { return false }
            }
        }
        return true
    }

    // MARK: Image group

    /// The slot number SMP uses for an area.
    static func number(_ slot: FlashAreaID) -> UInt32 { slot == .primary ? 0 : 1 }

    /// `img_mgmt_ver_str`: `major.minor.revision`, `.build` only when it is not 0.
    public static func versionText(_ v: ImageVersion) -> String {
        "\(v.major).\(v.minor).\(v.revision)" + (v.build != 0 ? ".\(v.build)" : "")
    }

    private var states: [BootDevice.ImageState] { (try? device.imageStates) ?? [] }

    /// `img_mgmt_state_read`: each slot holding an image, all five flags written (no frugal list), `splitStatus`
    /// 0. In recovery, MCUboot's `bs_list`: slot, version and hash only.
    public func stateBody() -> CBOR {
        let v = configuration.violations
        var images: [CBOR] = []
        for s in states {
            var hash: CBOR = .bytes(s.hash)
            if v.contains(.reportFileSHA), let bytes = device.flash.areas[s.slot]?.bytes,
                let image = try? MCUbootImage(parsing: bytes)
            {
                // The SHA-256 of the image file (header to the end of its TLVs), as a client computes `sha`.
                hash = .bytes(Array(SHA256.hash(data: bytes[0..<min(image.tlvEnd, bytes.count)])))
            }
            if v.contains(.hashAsText) { hash = .text(s.hash.map { hexByte($0) }.joined()) }
            var b = SMPMapBuilder()
            b.put("slot", .unsigned(UInt64(Self.number(s.slot))))
            b.put("version", .text(Self.versionText(s.version)))
            b.put("hash", hash)
            if mode == .application {
                b.put("bootable", .bool(s.bootable))
                b.put("pending", .bool(s.flags.contains(.pending)))
                b.put("confirmed", .bool(s.flags.contains(.confirmed)))
                b.put("active", .bool(s.flags.contains(.active)))
                b.put("permanent", .bool(s.flags.contains(.permanent)))
            }
            images.append(b.cbor)
        }
        var b = SMPMapBuilder()
        b.put("images", .array(images))
        if mode == .application { b.put("splitStatus", .unsigned(0)) }
        return b.cbor
    }

    /// `img_mgmt_slot_in_use`: the active slot, and the secondary while a test, a permanent swap or a revert is due.
    private var secondaryInUse: Bool {
        guard let t = try? device.pendingSwapType else { return true }
        return t == .test || t == .permanent || t == .revert
    }

    /// `img_mgmt_state_write` (rules in the notes §5.1).
    private mutating func stateWrite(_ header: SMPHeader, _ w: SMPImageStateWriteRequest, into out: inout Output) {
        let confirm = w.confirm ?? false
        let v = configuration.violations
        if v.contains(.emptyHashInvalid), w.hash?.isEmpty == true {
            return groupError(header, .image, SMPImageErrorCode.invalidHash, into: &out)
        }
        guard let hash = w.effectiveHash else {
            guard confirm else { return groupError(header, .image, SMPImageErrorCode.invalidHash, into: &out) }
            return confirmRunning(header, into: &out)
        }
        guard hash.count == 32 else { return groupError(header, .image, SMPImageErrorCode.invalidHash, into: &out) }
        guard let s = states.first(where: { $0.hash == hash }) else {
            return groupError(header, .image, SMPImageErrorCode.hashNotFound, into: &out)
        }
        if s.slot == .primary {
            guard confirm else {
                return groupError(header, .image, SMPImageErrorCode.imageSettingTestToActiveDenied, into: &out)
            }
            return confirmRunning(header, into: &out)
        }
        let pending = (try? device.pendingSwapType) ?? SwapType.none
        switch pending {
        case .test where !confirm, .permanent where confirm:
            break  // the same request again: nothing to do
        case .test, .permanent:
            return groupError(header, .image, SMPImageErrorCode.imageAlreadyPending, into: &out)
        default:
            do throws(BootError) {
                try device.setPending(permanent: confirm)
            } catch {
                return groupError(header, .image, SMPImageErrorCode.flashWriteFailed, into: &out)
            }
        }
        reply(header, body: stateBody(), into: &out)
    }

    private mutating func confirmRunning(_ header: SMPHeader, into out: inout Output) {
        do throws(BootError) {
            try device.confirm()
        } catch {
            return groupError(header, .image, SMPImageErrorCode.flashWriteFailed, into: &out)
        }
        reply(header, body: stateBody(), into: &out)
    }

    /// `img_mgmt_erase`: the other slot by default; a slot holding an image that is in use is 9 NO_FREE_SLOT;
    /// erasing forgets the upload.
    private mutating func erase(_ header: SMPHeader, _ slot: UInt32?, into out: inout Output) {
        let n = slot ?? 1
        guard n <= 1 else { return groupError(header, .image, SMPImageErrorCode.invalidSlot, into: &out) }
        let id: FlashAreaID = n == 0 ? .primary : .secondary
        if states.contains(where: { $0.slot == id }) && (id == .primary || secondaryInUse) {
            return groupError(header, .image, SMPImageErrorCode.noFreeSlot, into: &out)
        }
        do throws(BootError) {
            try device.erase(slot: id)
        } catch {
            return groupError(header, .image, SMPImageErrorCode.flashEraseFailed, into: &out)
        }
        upload = nil
        reply(header, SMPImageEraseResponse(), into: &out)
    }

    /// Slot info: one image, two slots with their sizes, the largest image the bootloader takes.
    private func slotInfo() -> SMPSlotInfoResponse {
        let info = device.slotInfo
        let slots = info.map { SMPSlotInfoSlot(slot: Self.number($0.slot), size: UInt64($0.size)) }
        let maxSize = info.map(\.maxImageSize).min().map { UInt64($0) }
        return SMPSlotInfoResponse(images: [SMPSlotInfoImage(image: 0, slots: slots, maxImageSize: maxSize)])
    }

    /// `img_mgmt_upload` after `img_mgmt_upload_inspect` (order of checks as in `zephyr_img_mgmt.c`).
    private mutating func imageUpload(_ header: SMPHeader, _ u: SMPImageUploadRequest, into out: inout Output) {
        uploadChunks += 1
        let v = configuration.violations
        guard let offU = u.off else { return groupError(header, .image, SMPImageErrorCode.invalidOffset, into: &out) }
        let off = Int(offU)
        let data = u.data ?? []
        if off == 0 {
            guard data.count >= ImageHeader.byteCount else {
                return groupError(header, .image, SMPImageErrorCode.invalidImageHeader, into: &out)
            }
            guard let len = u.len.map(Int.init) else {
                return groupError(header, .image, SMPImageErrorCode.invalidLength, into: &out)
            }
            let magic = UInt32(data[0]) | UInt32(data[1]) << 8 | UInt32(data[2]) << 16 | UInt32(data[3]) << 24
            guard magic == ImageHeader.magic,
                let newHeader = try? ImageHeader(parsing: Array(data[0..<ImageHeader.byteCount]))
            else {
                return groupError(header, .image, SMPImageErrorCode.invalidImageHeaderMagic, into: &out)
            }
            let sha = u.sha ?? []
            guard sha.count <= 32 else { return groupError(header, .image, SMPImageErrorCode.invalidHash, into: &out) }
            if !sha.isEmpty, let session = upload, session.sha == sha {
                return reply(header, SMPImageUploadResponse(off: UInt32(clamping: session.off)), into: &out)
            }
            guard (u.image ?? 0) == 0, !secondaryInUse else {
                return groupError(header, .image, SMPImageErrorCode.noFreeSlot, into: &out)
            }
            let slotSize = (try? device.flash.area(.secondary).size) ?? 0
            guard len <= slotSize else {
                return groupError(header, .image, SMPImageErrorCode.invalidImageTooLarge, into: &out)
            }
            if u.upgrade == true {
                guard let running = states.first(where: { $0.slot == .primary })?.version else {
                    return groupError(header, .image, SMPImageErrorCode.versionGetFailed, into: &out)
                }
                let cur = (running.major, running.minor, running.revision)
                let new = (newHeader.version.major, newHeader.version.minor, newHeader.version.revision)
                guard cur < new else {
                    return groupError(header, .image, SMPImageErrorCode.currentVersionIsNewer, into: &out)
                }
            }
            do throws(BootError) {
                try device.erase(slot: .secondary)
            } catch {
                upload = nil
                return groupError(header, .image, SMPImageErrorCode.flashEraseFailed, into: &out)
            }
            upload = UploadSession(slot: .secondary, size: len, sha: sha, off: 0, flushed: 0, staged: [])
        } else {
            guard let session = upload else {
                // No upload in progress: the expected offset is 0.
                return reply(header, SMPImageUploadResponse(off: 0), into: &out)
            }
            if off != session.off && !v.contains(.ignoreExpectedOffset) {
                return reply(header, SMPImageUploadResponse(off: UInt32(clamping: session.off)), into: &out)
            }
            if off != session.off {
                let ws = max(1, writeSize)
                upload?.off = off
                upload?.flushed = off / ws * ws
                upload?.staged = []
            }
        }
        guard var session = upload else { return }
        // Zephyr checks the overrun on continuations only; a first chunk longer than `len` is refused here too.
        if session.off + data.count > session.size && !v.contains(.acceptOverrun) {
            upload = nil
            return groupError(header, .image, SMPImageErrorCode.invalidImageDataOverrun, into: &out)
        }
        session.staged += data
        session.off += data.count
        let last = session.off >= session.size
        let ws = max(1, writeSize)
        let n = last ? session.staged.count : session.staged.count / ws * ws
        if n > 0 {
            do throws(BootError) {
                try device.write(slot: session.slot, offset: session.flushed, bytes: Array(session.staged[0..<n]))
            } catch {
                upload = nil
                return groupError(header, .image, SMPImageErrorCode.flashWriteFailed, into: &out)
            }
            session.flushed += n
            session.staged.removeFirst(n)
        }
        guard last else {
            upload = session
            return reply(header, SMPImageUploadResponse(off: UInt32(clamping: session.off)), into: &out)
        }
        upload = nil
        // `flash_img_check` of the session hash over the written length: only a full 32-byte `sha` can match.
        var match = false
        if session.sha.count == 32, let bytes = device.flash.areas[session.slot]?.bytes,
            session.size <= bytes.count
        {
            match = Array(SHA256.hash(data: bytes[0..<session.size])) == session.sha
        }
        if v.contains(.falseMatch) { match = false }
        reply(header, SMPImageUploadResponse(off: UInt32(clamping: session.off), match: match), into: &out)
    }

    private var writeSize: Int { (try? device.flash.area(.primary).writeSize) ?? 1 }

    // MARK: Serial recovery

    /// MCUboot's `boot_serial_input`: echo, reset, image list, upload, parameters and slot info; anything else
    /// rc 8; every answer v1-style.
    private mutating func recovery(_ header: SMPHeader, _ request: SMPRequest, into out: inout Output) {
        switch request {
        case .echo(let e): reply(header, SMPEchoResponse(e.d), into: &out)
        case .reset: reset(header, into: &out)
        case .params:
            reply(header, SMPParamsResponse(bufSize: configuration.recoveryBufSize, bufCount: 1), into: &out)
        case .imageStateRead: reply(header, body: stateBody(), into: &out)
        case .slotInfo: reply(header, slotInfo(), into: &out)
        case .imageUpload(let u): recoveryUpload(header, u, into: &out)
        default: rc(header, .notSupported, into: &out)
        }
    }

    /// `bs_upload`: `image`, `data`, `len`, `off` only (no `sha`, no resume: every `off` 0 erases and restarts);
    /// the primary slot; a wrong offset is answered with the expected one; an overrun or an oversize image rc 3;
    /// only whole write units are taken until the last chunk, so `off` may come back short of what was sent.
    private mutating func recoveryUpload(_ header: SMPHeader, _ u: SMPImageUploadRequest, into out: inout Output) {
        uploadChunks += 1
        guard let offU = u.off else { return rc(header, .invalid, into: &out) }
        let off = Int(offU)
        let data = u.data ?? []
        let slotSize = (try? device.flash.area(.primary).size) ?? 0
        if off == 0 {
            guard let len = u.len.map(Int.init), len <= slotSize, len > 0 else {
                return rc(header, .invalid, into: &out)
            }
            do throws(BootError) {
                try device.erase(slot: .primary)
            } catch {
                return rc(header, .unknown, into: &out)
            }
            upload = UploadSession(slot: .primary, size: len, sha: [], off: 0, flushed: 0, staged: [])
        }
        guard var session = upload, off == session.off else {
            return reply(header, SMPImageUploadResponse(off: UInt32(clamping: upload?.off ?? 0)), into: &out)
        }
        guard off + data.count <= session.size else {
            upload = nil
            return rc(header, .invalid, into: &out)
        }
        let ws = max(1, writeSize)
        let last = off + data.count == session.size
        let n = last ? data.count : data.count / ws * ws
        if n > 0 {
            do throws(BootError) {
                try device.write(slot: .primary, offset: off, bytes: Array(data[0..<n]))
            } catch {
                upload = nil
                return rc(header, .unknown, into: &out)
            }
        }
        session.off += n
        session.flushed = session.off
        upload = last ? nil : session
        reply(header, SMPImageUploadResponse(off: UInt32(clamping: session.off)), into: &out)
    }

    // MARK: Violations that rewrite the request

    /// Under `smp.accept-duplicate-keys` and `smp.wrap-32-bit-fields`, the request data as those servers read it:
    /// duplicate keys collapsed to the last, `off`/`len` taken modulo 2^32. Otherwise `data` itself.
    private func rewrite(_ header: SMPHeader, _ data: [UInt8]) -> [UInt8] {
        let v = configuration.violations
        guard v.contains(.acceptDuplicateKeys) || v.contains(.wrap32BitFields), !data.isEmpty,
            case .map(let pairs)? = try? CBORDecoder.decode(
                data,
                options: CBORDecoder.Options(
                    maxDepth: SMPMap.maxDepth,
                    maxLength: UInt64(data.count),
                    checkValidity: false
                )
            )
        else { return data }
        var out: [CBOR.Pair] = []
        for p in pairs {
            var p = p
            if v.contains(.wrap32BitFields), header.group == .image, case .text(let k) = p.key,
                k == "off" || k == "len", case .unsigned(let n) = p.value
            {
                p = CBOR.Pair(p.key, .unsigned(n & 0xffff_ffff))
            }
            if v.contains(.acceptDuplicateKeys), let i = out.firstIndex(where: { $0.key == p.key }) {
                out[i] = p
            } else {
                out.append(p)
            }
        }
        return CBOREncoder.encodeDeterministic(.map(out))
    }

    /// Under `smp.reject-unknown-keys`: whether the data has a key the decoded body does not write back.
    private func hasUnknownKeys(_ request: SMPRequest, _ data: [UInt8]) -> Bool {
        guard !data.isEmpty, let m = try? SMPMap(decoding: data) else { return false }
        let known: Set<String>
        if case .reset = request {
            known = ["force", "boot_mode"]
        } else if case .imageUpload = request {
            known = ["off", "data", "len", "sha", "image", "upgrade"]
        } else if case .imageStateWrite = request {
            known = ["hash", "confirm"]
        } else if case .map(let pairs) = request.body.cbor {
            known = Set(pairs.compactMap { if case .text(let k) = $0.key { return k } else { return nil } })
        } else {
            known = []
        }
        return m.pairs.contains { !known.contains($0.key) }
    }
}

private func hexByte(_ b: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(b >> 4)], digits[Int(b & 0x0f)]])
}
