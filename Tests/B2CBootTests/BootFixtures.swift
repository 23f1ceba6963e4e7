import B2CBoot
import B2CImage
import Crypto

/// A fixed Ed25519 key and two images built from it with ImageBuilder, independently of the boot model: the bytes
/// the power-fail sweep compares the slots against.
enum BootFixtures {
    static let sectorSize = 1024
    static let slotSectors = 8
    static let writeSize = 8
    static let layout = TrailerLayout(maxAlign: 8, maxImageSectors: slotSectors)

    static let key: ImagePrivateKey? = try? .ed25519(.init(rawRepresentation: [UInt8](repeating: 7, count: 32)))

    static func image(payloadSize: Int, seed: UInt8, version: ImageVersion, securityCounter: UInt32? = nil) -> [UInt8] {
        var o = ImageSignOptions(headerSize: 0x100, version: version, slotSize: sectorSize * slotSectors)
        o.padHeader = true
        o.key = key
        o.securityCounter = securityCounter
        let payload = (0..<payloadSize).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ Int(seed)) }
        return (try? ImageBuilder.sign(payload, options: o)) ?? []
    }

    /// The old image (1.0.0, two sectors and a bit) and the new one (1.1.0, three sectors and a bit).
    static let old = image(payloadSize: 2000, seed: 1, version: ImageVersion(major: 1), securityCounter: 1)
    static let new = image(payloadSize: 3000, seed: 2, version: ImageVersion(major: 1, minor: 1), securityCounter: 2)

    static func configuration(_ strategy: BootConfiguration.Strategy) -> BootConfiguration {
        var verifier = ImageVerifier.Configuration(signature: .ed25519)
        if let key { verifier.keys = [key.publicKey] }
        return BootConfiguration(strategy: strategy, verifier: verifier, layout: layout)
    }

    /// A device with `primary` programmed into the primary slot (no trailer: flashed by a programmer) and `secondary`
    /// uploaded into the secondary slot.
    static func device(
        _ configuration: BootConfiguration,
        primary: [UInt8] = old,
        secondary: [UInt8]? = new,
        securityCounter: UInt32 = 0
    ) throws(BootError) -> BootDevice {
        var d = try BootDevice(
            configuration: configuration,
            sectorSize: sectorSize,
            slotSectors: slotSectors,
            writeSize: writeSize,
            securityCounter: securityCounter
        )
        try d.write(slot: .primary, offset: 0, bytes: primary)
        if let secondary { try d.write(slot: .secondary, offset: 0, bytes: secondary) }
        return d
    }
}

extension BootDevice {
    /// The first `count` bytes of a slot.
    func prefix(_ slot: FlashAreaID, _ count: Int) -> [UInt8] {
        Array((flash.areas[slot]?.bytes ?? [])[0..<count])
    }

    func trailer(_ slot: FlashAreaID) -> SwapState? {
        flash.areas[slot].map { SwapState(reading: $0, layout: configuration.layout) }
    }
}
