import B2CBoot
import B2CImage

/// The checks of the boot trailer fuzz target.
public enum BootFuzzChecks {
    static let slotSize = 4096
    static let maxAligns = [8, 16, 32]

    /// Input: a control byte (`BOOT_MAX_ALIGN` 8, 16 or 32 by its value modulo 3), then the primary's and the
    /// secondary's last bytes, half each, placed at the end of erased 4096-byte slots. Reading a trailer
    /// (`SwapState(reading:layout:)`) and the swap-type table are total; the two readers of this repository (B2CBoot's
    /// `SwapState` and B2CImage's `ImageTrailer.State`) agree on the magic and the flags, and on swap_info (NONE and
    /// type 0 aside, which ImageTrailer.State leaves out); the decision is one of NONE, TEST, PERM, REVERT, and TEST or PERM exactly when the secondary's magic is
    /// GOOD and its image_ok UNSET or SET.
    public static func trailer(_ bytes: [UInt8]) -> String? {
        guard let control = bytes.first else { return nil }
        let align = maxAligns[Int(control) % maxAligns.count]
        let rest = Array(bytes.dropFirst())
        let half = rest.count / 2
        let layout = TrailerLayout(maxAlign: align, maxImageSectors: 1)
        var states: [SwapState] = []
        for part in [Array(rest[..<half]), Array(rest[half...])] {
            let tail = Array(part.suffix(slotSize))
            var slot = [UInt8](repeating: 0xff, count: slotSize)
            slot.replaceSubrange((slotSize - tail.count)..., with: tail)
            var flash: Flash
            do {
                flash = Flash(areas: [.primary: try FlashArea(sectorSize: slotSize, sectorCount: 1, writeSize: 1)])
                try flash.write(.primary, at: 0, slot)
                states.append(SwapState(reading: try flash.area(.primary), layout: layout))
            } catch {
                return "an erased slot of 4096 bytes refused a write: \(error)"
            }
            guard let other = ImageTrailer.State(slot: slot, maxAlign: align), let s = states.last else {
                return "ImageTrailer.State cannot read a 4096-byte slot"
            }
            if other.magic != s.magic { return "magic: SwapState \(s.magic), ImageTrailer.State \(other.magic)" }
            if other.imageOK != s.imageOK || other.copyDone != s.copyDone {
                return "flags differ between SwapState and ImageTrailer.State"
            }
            // ImageTrailer.State leaves out NONE (erased, or a type above REVERT) and type 0; SwapState keeps NONE
            // as 1 with image 0, and type 0 as read.
            let agree =
                other.swapType.map { s.swapType == $0 && s.imageNumber == other.imageIndex }
                ?? ((s.swapType == 1 && s.imageNumber == 0) || s.swapType == 0)
            if !agree {
                return "swap_info: SwapState \(s.swapType)/\(s.imageNumber), ImageTrailer.State \(other.swapType ?? 0)"
            }
            if s.swapType > 4 { return "swap_info type \(s.swapType) above REVERT survived boot_read_swap_state" }
        }
        let type = SwapTable.swapType(primary: states[0], secondary: states[1])
        guard [.none, .test, .permanent, .revert].contains(type) else { return "swap type \(type) from the table" }
        let requested = states[1].magic == .good && states[1].imageOK != .bad
        if requested != (type == .test || type == .permanent) {
            return "secondary \(states[1].magic)/\(states[1].imageOK) gave \(type)"
        }
        return nil
    }
}

public func fuzzBootTrailer(_ data: UnsafeRawBufferPointer) {
    let bytes = Array(data)
    if let finding = BootFuzzChecks.trailer(bytes) { fuzzFailure("FuzzBootTrailer", finding, bytes) }
}
