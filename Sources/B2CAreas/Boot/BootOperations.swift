import B2CArea
import B2CBoot
import B2CHex
import B2CImage
import B2CWire

/// `boot.swap-type` and `boot.upgrade` on the reference device, answered by the boot model (B2CBoot).
enum BootOperations {
    static let swapTypeOp = "boot.swap-type"
    static let upgradeOp = "boot.upgrade"
    static let maxAligns = [8, 16, 32]
    static let strategies = BootConfiguration.Strategy.allCases.map(\.rawValue)

    static func badRequest(_ why: String) -> WireResponse.Body {
        .err(code: "wire.bad_request", detail: why, offset: nil)
    }

    static func int(_ args: [String: JSONValue], _ name: String) -> Int? { args[name]?.intValue.map(Int.init) }

    /// The two trailers (the last bytes of each slot, the rest erased) decoded by `boot_read_swap_state` and judged by
    /// `boot_swap_type_multi`.
    static func swapType(_ args: [String: JSONValue], violations: ViolationSet) -> WireResponse.Body {
        guard let align = int(args, "maxAlign"), maxAligns.contains(align) else {
            return badRequest("args.maxAlign must be 8, 16 or 32")
        }
        guard let size = int(args, "slotSize"), size > 0, size <= 1 << 24 else {
            return badRequest("args.slotSize must be a positive size up to 16 MiB")
        }
        let erased = int(args, "erasedValue") ?? 0xff
        guard (0...0xff).contains(erased) else { return badRequest("args.erasedValue must be a byte") }
        let layout = TrailerLayout(maxAlign: align, maxImageSectors: 1)
        var states: [SwapState] = []
        for field in ["primary", "secondary"] {
            guard let tail = args[field]?.stringValue.flatMap(Hex.decode) else {
                return badRequest("args.\(field) must be hex")
            }
            guard tail.count <= size, tail.count >= size - layout.swapInfoOffset(size: size) else {
                return badRequest("args.\(field) must cover the slot's end from swap_info's offset, within the slot")
            }
            do {
                var flash = Flash(areas: [
                    .primary: try FlashArea(sectorSize: size, sectorCount: 1, writeSize: 1, erasedValue: UInt8(erased))
                ])
                try flash.write(.primary, at: size - tail.count, tail)
                var state = SwapState(reading: try flash.area(.primary), layout: layout)
                if violations.contains(BootViolation.badMagicIsGood), state.magic == .bad { state.magic = .good }
                states.append(state)
            } catch {
                return .err(code: error.code.rawValue, detail: error.reason, offset: error.offset.map(Int64.init))
            }
        }
        var type = SwapTable.swapType(primary: states[0], secondary: states[1])
        if violations.contains(BootViolation.revertIgnored), type == .revert { type = .none }
        return .ok([
            "swapType": .string(type.description),
            "primaryState": .string(describe(states[0])),
            "secondaryState": .string(describe(states[1])),
        ])
    }

    /// The one-line form of a decoded trailer the vectors state.
    static func describe(_ s: SwapState) -> String {
        "magic=\(s.magic.rawValue) image_ok=\(s.imageOK.rawValue) copy_done=\(s.copyDone.rawValue)"
            + " swap_type=\(s.swapType) image_num=\(s.imageNumber)"
    }

    /// A device with the primary image flashed and the secondary uploaded, the request of `pending` made
    /// (`boot_set_pending`), then one boot.
    static func upgrade(_ args: [String: JSONValue], violations: ViolationSet) -> WireResponse.Body {
        guard let strategy = args["strategy"]?.stringValue.flatMap(BootConfiguration.Strategy.init(rawValue:)) else {
            return badRequest("args.strategy must be one of \(strategies.joined(separator: ", "))")
        }
        guard let align = int(args, "maxAlign"), maxAligns.contains(align) else {
            return badRequest("args.maxAlign must be 8, 16 or 32")
        }
        guard let sectorSize = int(args, "sectorSize"), let sectors = int(args, "slotSectors"),
            let writeSize = int(args, "writeSize"), sectorSize > 0, sectors > 0, writeSize > 0,
            sectorSize <= 1 << 20, sectors <= 1024
        else { return badRequest("args.sectorSize, slotSectors and writeSize must be positive sizes") }
        guard args["signature"]?.stringValue == "none" else {
            return .unsupported(reason: "boot.upgrade builds here check the hash only (signature none)")
        }
        guard let hash = args["hash"]?.stringValue.flatMap(ImageHashAlgorithm.init(rawValue:)) else {
            return badRequest("args.hash must be sha256, sha384 or sha512")
        }
        guard let primary = args["primary"]?.stringValue.flatMap(Hex.decode),
            let secondary = args["secondary"]?.stringValue.flatMap(Hex.decode)
        else { return badRequest("args.primary and args.secondary must be hex") }
        guard let pending = args["pending"]?.stringValue, ["test", "perm"].contains(pending) else {
            return badRequest("args.pending must be test or perm")
        }
        guard
            var prevention = args["downgradePrevention"]?.stringValue.flatMap(
                BootConfiguration.DowngradePrevention.init(rawValue:)
            )
        else { return badRequest("args.downgradePrevention must be off, version or security-counter") }
        if violations.contains(BootViolation.downgradeAllowed) { prevention = .off }
        var config = BootConfiguration(
            strategy: strategy,
            verifier: ImageVerifier.Configuration(signature: .none, hash: hash),
            layout: TrailerLayout(maxAlign: align, maxImageSectors: sectors)
        )
        config.downgradePrevention = prevention
        do {
            var device = try BootDevice(
                configuration: config,
                sectorSize: sectorSize,
                slotSectors: sectors,
                writeSize: writeSize
            )
            try device.write(slot: .primary, offset: 0, bytes: primary)
            try device.write(slot: .secondary, offset: 0, bytes: secondary)
            try device.setPending(permanent: pending == "perm")
            let result = try device.boot()
            let after = try device.flash.area(.secondary)
            return .ok([
                "swapType": .string(result.swapType.description),
                "booted": .string(result.version.description),
                "secondaryAfter": .string(after.isErased(0..<after.size) ? "erased" : "programmed"),
            ])
        } catch {
            return .err(code: error.code.rawValue, detail: error.reason, offset: error.offset.map(Int64.init))
        }
    }
}
