import B2CArea
import B2CHex
import B2CImage
import B2CVectors
import B2CWire

/// The `image.*` operations of the reference device.
enum ImageOperations {
    static let verifyOp = "image.verify"
    static let parseOp = "image.parse"
    static let decryptOp = "image.decrypt"

    /// Every `image.verify` feature the reference implements.
    static let features: [String] = [
        "sig-none", "sig-ed25519", "sig-ecdsa-p256", "sig-ecdsa-p384", "sig-rsa-2048", "sig-rsa-3072", "sig-pure",
        "hw-key", "enc-x25519", "enc-x25519-sha512", "enc-ec256", "enc-rsa", "enc-kw", "enc-kw-256",
    ]

    static func image(_ args: [String: JSONValue]) -> [UInt8]? { args["image"]?.stringValue.flatMap(Hex.decode) }

    static func verify(_ args: [String: JSONValue], violations: ViolationSet) -> WireResponse.Body {
        guard let bytes = image(args) else {
            return .err(code: "wire.bad_request", detail: "args.image must be hex", offset: nil)
        }
        guard let configJSON = args["config"] else {
            return .err(code: "wire.bad_request", detail: "args.config is missing", offset: nil)
        }
        var config: ImageVerifier.Configuration
        do { config = try ImageCaseConfig.parse(configJSON) } catch {
            return .err(code: "wire.bad_request", detail: error.reason, offset: nil)
        }
        if violations.contains(MCUbootViolation.noAllowList) { config.allowList = false }
        if violations.contains(MCUbootViolation.ignoreProtectSize) { config.trustProtectedInfo = true }
        if violations.contains(MCUbootViolation.bootNonBootable) { config.bootNonBootable = true }
        if violations.contains(MCUbootViolation.noTrailerReservation) {
            config.maxImageSize = config.maxImageSize ?? config.slotSize
        }
        if violations.contains(MCUbootViolation.aesKeyBitsFromHeader) { config.aesKeyBitsFromHeader = true }
        do {
            let v = try ImageVerifier(config).verify(bytes)
            return .ok(["hash": .string(Hex.encode(v.digest))])
        } catch {
            return .err(code: error.code.rawValue, detail: error.reason, offset: error.offset.map(Int64.init))
        }
    }

    /// `image.parse`: the header fields and the TLV list, or the structural error.
    static func parse(_ args: [String: JSONValue], violations: ViolationSet) -> WireResponse.Body {
        guard let bytes = image(args) else {
            return .err(code: "wire.bad_request", detail: "args.image must be hex", offset: nil)
        }
        do {
            let image = try MCUbootImage(
                parsing: bytes,
                slotSize: nil,
                trustProtectedInfo: violations.contains(MCUbootViolation.ignoreProtectSize)
            )
            let h = image.header
            return .ok([
                "layout": .string(image.layoutSummary),
                "headerSize": .int(Int64(h.headerSize)), "imageSize": .int(Int64(h.imageSize)),
                "protectedTlvSize": .int(Int64(h.protectedTLVSize)), "flags": .int(Int64(h.flags.rawValue)),
                "loadAddress": .int(Int64(h.loadAddress)), "version": .string(h.version.description),
                "tlvs": .array(
                    image.tlvs.map {
                        .object([
                            "type": .int(Int64($0.type.rawValue)), "offset": .int(Int64($0.offset)),
                            "length": .int(Int64($0.length)), "protected": .bool($0.isProtected),
                        ])
                    }
                ),
            ])
        } catch {
            return .err(code: error.code.rawValue, detail: error.reason, offset: error.offset.map(Int64.init))
        }
    }

    /// `image.decrypt`: the image with its body decrypted, for `config.decryption`.
    static func decrypt(_ args: [String: JSONValue], violations: ViolationSet) -> WireResponse.Body {
        guard let bytes = image(args), let configJSON = args["config"] else {
            return .err(code: "wire.bad_request", detail: "args.image (hex) and args.config are required", offset: nil)
        }
        do {
            let config = try ImageCaseConfig.parse(configJSON)
            let image = try MCUbootImage(parsing: bytes)
            return .ok(["image": .string(Hex.encode(try ImageVerifier(config).decryptedImage(image)))])
        } catch {
            return .err(code: error.code.rawValue, detail: error.reason, offset: error.offset.map(Int64.init))
        }
    }
}
