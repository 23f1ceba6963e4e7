import B2CImage

/// The upgrade algorithms: `boot_copy_image` (overwrite-only), `swap_scratch.c` and `swap_move.c`, with the status
/// records that let an interrupted swap resume.
extension BootLoader {
    // MARK: Status records

    /// `boot_status_entries`: status records an area holds (the scratch keeps one sector's worth).
    func statusEntries(_ id: FlashAreaID) -> Int {
        id == .scratch ? TrailerLayout.statusStates : layout.maxImageSectors * TrailerLayout.statusStates
    }

    /// `boot_status_off`; for the scratch `boot_scratch_trailer_sz` (one entry of records).
    func statusOffset(_ id: FlashAreaID) throws(BootError) -> Int {
        let a = try area(id)
        guard id == .scratch else { return layout.statusOffset(size: a.size, writeSize: a.writeSize) }
        let trailerInfo = layout.trailerSize(writeSize: a.writeSize) - statusEntries(.primary) * a.writeSize
        return a.size - (TrailerLayout.statusStates * a.writeSize + trailerInfo)
    }

    /// `boot_status_internal_off`: scratch records are (index, state) in rows of 3; swap-move keeps one move record
    /// per sector, then the swap records in rows of 2.
    func statusRecordOffset(_ bs: BootStatus, writeSize: Int) -> Int {
        switch configuration.strategy {
        case .swapUsingMove:
            let moves = layout.maxImageSectors * TrailerLayout.moveStates * writeSize
            return bs.op == .move
                ? (bs.idx - BootStatus.firstIndex) * TrailerLayout.moveStates * writeSize
                : moves + (bs.idx - BootStatus.firstIndex) * TrailerLayout.swapStates * writeSize
                    + (bs.state - BootStatus.firstState) * writeSize
        default:
            return (bs.idx - BootStatus.firstIndex) * TrailerLayout.statusStates * writeSize
                + (bs.state - BootStatus.firstState) * writeSize
        }
    }

    /// `boot_write_status`: one write unit holding the state number, in the primary slot.
    mutating func writeStatus(_ bs: BootStatus) throws(BootError) {
        let a = try area(.primary)
        let off = try statusOffset(.primary) + statusRecordOffset(bs, writeSize: a.writeSize)
        let record = [UInt8(truncatingIfNeeded: bs.state)] + [UInt8](repeating: a.erasedValue, count: a.writeSize - 1)
        try flash.write(.primary, at: off, record)
    }

    /// `swap_status_source`: swap-scratch's `boot_status_tables` (primary magic and copy_done, scratch magic), or
    /// swap-move's rule (primary good and not copied while the secondary's magic is not good).
    func statusSource() throws(BootError) -> BootStatus.Source {
        let p = try swapState(.primary)
        if configuration.strategy == .swapUsingMove {
            let s = try swapState(.secondary)
            return p.magic == .good && p.copyDone == .unset && s.magic != .good ? .primary : .none
        }
        let scratch = try swapState(.scratch)
        if p.magic == .good, scratch.magic != .good, p.copyDone == .set { return .none }
        if p.magic == .good, scratch.magic != .good, p.copyDone == .unset { return .primary }
        if scratch.magic == .good { return .scratch }
        if p.magic == .unset, p.copyDone == .unset { return .primary }
        return .none
    }

    /// `swap_read_status`: where the status is, how far the records go (`swap_read_status_bytes` of each strategy),
    /// and the swap type from that area's swap_info.
    func readStatus() throws(BootError) -> BootStatus {
        var bs = BootStatus()
        bs.source = try statusSource()
        let id: FlashAreaID
        switch bs.source {
        case .none: return bs
        case .primary: id = .primary
        case .scratch: id = .scratch
        }
        let a = try area(id)
        let off = try statusOffset(id)
        let entries = statusEntries(id)
        func written(_ i: Int) -> Bool { a.bytes[off + i * a.writeSize] != a.erasedValue }
        if configuration.strategy == .swapUsingMove {
            // The last written record, counted from 1; below the move records' end it is a move.
            if let last = (0..<entries).last(where: written) {
                let found = last + 1
                let moves = layout.maxImageSectors * TrailerLayout.moveStates
                if found < moves {
                    bs.op = .move
                    bs.idx = found / TrailerLayout.moveStates + BootStatus.firstIndex
                    bs.state = found % TrailerLayout.moveStates + BootStatus.firstState
                } else {
                    bs.op = .swap
                    bs.idx = (found - moves) / TrailerLayout.swapStates + BootStatus.firstIndex
                    bs.state = (found - moves) % TrailerLayout.swapStates + BootStatus.firstState
                }
            }
        } else if let first = (0..<entries).first(where: written) {
            // The first erased record after the written run is the next step.
            let next = (first..<entries).first(where: { !written($0) }) ?? entries
            bs.idx = next / TrailerLayout.statusStates + BootStatus.firstIndex
            bs.state = next % TrailerLayout.statusStates + BootStatus.firstState
        }
        let info = a.bytes[layout.swapInfoOffset(size: a.size)]
        bs.swapType = info == a.erasedValue ? .none : SwapType(rawValue: info & 0x0f) ?? .panic
        return bs
    }

    /// `swap_status_init`: swap_info, image_ok when the secondary's is set, swap_size, then the magic.
    mutating func statusInit(_ id: FlashAreaID, _ bs: BootStatus) throws(BootError) {
        let secondary = try swapState(.secondary)
        if bs.swapType != .none { try BootTrailer.writeSwapInfo(id, bs.swapType, layout: layout, flash: &flash) }
        if secondary.imageOK == .set { try BootTrailer.writeImageOK(id, layout: layout, flash: &flash) }
        try BootTrailer.writeSwapSize(id, UInt32(truncatingIfNeeded: bs.swapSize), layout: layout, flash: &flash)
        try BootTrailer.writeMagic(id, layout: layout, flash: &flash)
    }

    // MARK: Swap

    /// `boot_swap_image`: a new swap sizes itself on the larger image; a resumed one reads swap_size from the area
    /// holding the status (`boot_find_status`: scratch first, then the primary, whichever has good magic).
    mutating func swapImage(_ bs: inout BootStatus) throws(BootError) {
        if bs.isReset {
            bs.swapSize = max(try imageSize(.primary) ?? 0, try imageSize(.secondary) ?? 0)
        } else {
            let candidates: [FlashAreaID] =
                configuration.strategy == .swapUsingScratch ? [.scratch, .primary] : [.primary]
            var found: FlashAreaID?
            for id in candidates where try swapState(id).magic == .good {
                found = id
                break
            }
            guard let id = found else {
                throw BootError(.panic, "an interrupted swap with no trailer holding its size")
            }
            bs.swapSize = BootTrailer.readSwapSize(try area(id), layout: layout)
        }
        switch configuration.strategy {
        case .swapUsingScratch: try swapRunScratch(&bs)
        case .swapUsingMove: try swapRunMove(&bs)
        case .overwriteOnly: break
        }
    }

    /// Sectors of `sectorSize` that cover `size` bytes (at least one).
    static func sectorsCovering(_ size: Int, sectorSize: Int) -> Int { max(1, (size + sectorSize - 1) / sectorSize) }

    /// `swap_scratch.c` `swap_run`: one sector at a time through a one-sector scratch, from the last sector down.
    mutating func swapRunScratch(_ bs: inout BootStatus) throws(BootError) {
        let p = try area(.primary)
        let s = p.sectorSize
        let lastSector = Self.sectorsCovering(bs.swapSize, sectorSize: s) - 1
        let firstTrailerSector = (p.size - layout.trailerSize(writeSize: p.writeSize)) / s
        guard lastSector < firstTrailerSector else {
            throw BootError(
                .unsupported,
                "the swap reaches the sector holding the trailer; the model does not carry the trailer through scratch"
            )
        }
        var swapIndex = 0
        var sector = lastSector
        while sector >= 0 {
            if swapIndex >= bs.idx - BootStatus.firstIndex { try swapSectorsScratch(sector, sectorSize: s, &bs) }
            sector -= 1
            swapIndex += 1
        }
    }

    /// `swap_scratch.c` `boot_swap_sectors` for a sector below the trailer: secondary → scratch, primary →
    /// secondary, scratch → primary, a status record after each; the first step also moves the swap's trailer from
    /// a temporary copy in scratch to a fresh primary trailer, and the second scrambles the secondary's.
    mutating func swapSectorsScratch(_ sector: Int, sectorSize s: Int, _ bs: inout BootStatus) throws(BootError) {
        let off = sector * s
        let scratch = 0..<(try area(.scratch).size)
        if bs.state == BootStatus.firstState {
            try eraseRegion(.scratch, scratch)
            if bs.idx == BootStatus.firstIndex {
                try statusInit(.scratch, bs)
                try scrambleTrailerSectors(.primary)
                try statusInit(.primary, bs)
                try eraseRegion(.scratch, scratch)
            }
            try copyRegion(from: .secondary, off, to: .scratch, 0, s)
            try writeStatus(bs)
            bs.state = 2
        }
        if bs.state == 2 {
            if bs.idx == BootStatus.firstIndex { try scrambleTrailerSectors(.secondary) }
            try eraseRegion(.secondary, off..<(off + s))
            try copyRegion(from: .primary, off, to: .secondary, off, s)
            try writeStatus(bs)
            bs.state = 3
        }
        if bs.state == 3 {
            try eraseRegion(.primary, off..<(off + s))
            try copyRegion(from: .scratch, 0, to: .primary, off, s)
            try writeStatus(bs)
            bs.idx += 1
            bs.state = BootStatus.firstState
        }
    }

    /// `swap_move.c` `swap_run`: move the primary's sectors up by one (last first), then for each sector copy the
    /// secondary's into the gap below and the moved primary sector into the secondary.
    mutating func swapRunMove(_ bs: inout BootStatus) throws(BootError) {
        let p = try area(.primary)
        let s = p.sectorSize
        let lastIndex = Self.sectorsCovering(bs.swapSize, sectorSize: s)
        if bs.isReset {
            let trailerSectors = Self.sectorsCovering(layout.trailerSize(writeSize: p.writeSize), sectorSize: s)
            let firstTrailerIndex = p.sectorCount - trailerSectors
            guard lastIndex < firstTrailerIndex else {
                bs.swapType = .none
                return
            }
        }
        try fixupRevert(bs)
        if bs.op == .move {
            var idx = lastIndex
            while idx > 0 {
                if idx <= lastIndex - bs.idx + 1 { try moveSectorUp(idx, sectorSize: s, &bs) }
                idx -= 1
            }
            bs.idx = BootStatus.firstIndex
        }
        bs.op = .swap
        var idx = 1
        while idx <= lastIndex {
            if idx >= bs.idx { try swapSectorsMove(idx, sectorSize: s, &bs) }
            idx += 1
        }
    }

    /// `boot_move_sector_up`: sector `idx - 1` of the primary to `idx`; the first move writes a fresh primary
    /// trailer (unless the status already lives there) and scrambles the secondary's.
    mutating func moveSectorUp(_ idx: Int, sectorSize s: Int, _ bs: inout BootStatus) throws(BootError) {
        if bs.idx == BootStatus.firstIndex {
            if bs.source != .primary {
                try scrambleTrailerSectors(.primary)
                try statusInit(.primary, bs)
            }
            try scrambleTrailerSectors(.secondary)
        }
        try eraseRegion(.primary, (idx * s)..<((idx + 1) * s))
        try copyRegion(from: .primary, (idx - 1) * s, to: .primary, idx * s, s)
        try writeStatus(bs)
        bs.idx += 1
    }

    /// `swap_move.c` `boot_swap_sectors`: secondary `idx - 1` into primary `idx - 1`, then the moved primary sector
    /// `idx` into secondary `idx - 1`.
    mutating func swapSectorsMove(_ idx: Int, sectorSize s: Int, _ bs: inout BootStatus) throws(BootError) {
        let low = (idx - 1) * s
        if bs.state == BootStatus.firstState {
            try eraseRegion(.primary, low..<(low + s))
            try copyRegion(from: .secondary, low, to: .primary, low, s)
            try writeStatus(bs)
            bs.state = 2
        }
        if bs.state == 2 {
            try eraseRegion(.secondary, low..<(low + s))
            try copyRegion(from: .primary, idx * s, to: .secondary, low, s)
            try writeStatus(bs)
            bs.idx += 1
            bs.state = BootStatus.firstState
        }
    }

    /// `fixup_revert`: a revert that has not moved anything yet makes the secondary look like a permanent upgrade,
    /// so a reset before the first status record still ends in the old image.
    mutating func fixupRevert(_ bs: BootStatus) throws(BootError) {
        guard bs.swapType == .revert, bs.op == .move, bs.idx == BootStatus.firstIndex else { return }
        guard try swapState(.secondary).magic == .unset else { return }
        try scrambleTrailerSectors(.secondary)
        try BootTrailer.writeImageOK(.secondary, layout: layout, flash: &flash)
        try BootTrailer.writeSwapSize(
            .secondary,
            UInt32(truncatingIfNeeded: bs.swapSize),
            layout: layout,
            flash: &flash
        )
        try BootTrailer.writeMagic(.secondary, layout: layout, flash: &flash)
    }

    // MARK: Overwrite-only

    /// `boot_copy_image` without `MCUBOOT_OVERWRITE_ONLY_FAST`: erase the primary sector by sector, copy the whole
    /// secondary slot over it (its trailer included), then scramble the secondary's first and last sectors. A reset
    /// anywhere redoes the copy on the next boot, since the secondary's trailer goes last.
    mutating func copyImage() throws(BootError) {
        let p = try area(.primary)
        let sec = try area(.secondary)
        for i in 0..<p.sectorCount { try eraseRegion(.primary, (i * p.sectorSize)..<((i + 1) * p.sectorSize)) }
        try copyRegion(from: .secondary, 0, to: .primary, 0, min(p.size, sec.size))
        try eraseRegion(.secondary, 0..<sec.sectorSize)
        try eraseRegion(.secondary, (sec.size - sec.sectorSize)..<sec.size)
    }
}
