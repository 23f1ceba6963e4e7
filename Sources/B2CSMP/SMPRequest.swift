/// A request of a command this codec models, decoded from its header and data: what a server dispatches on.
public enum SMPRequest: Hashable, Sendable {
    case echo(SMPEchoRequest)
    case reset(SMPResetRequest)
    case taskStats(SMPTaskStatsRequest)
    case memoryPoolStats(SMPMemoryPoolStatsRequest)
    case dateTimeRead(SMPDateTimeReadRequest)
    case dateTimeWrite(SMPDateTimeWriteRequest)
    case params(SMPParamsRequest)
    case osInfo(SMPOSInfoRequest)
    case bootloaderInfo(SMPBootloaderInfoRequest)
    case imageStateRead(SMPImageStateReadRequest)
    case imageStateWrite(SMPImageStateWriteRequest)
    case imageUpload(SMPImageUploadRequest)
    case imageErase(SMPImageEraseRequest)
    case slotInfo(SMPSlotInfoRequest)

    /// Decodes a request message: `smp.unknown_command` for a group, command or op no case models (a Zephyr server
    /// answers rc 8; ``SMPError/returnCode``), else the body's own errors (rc 3).
    public static func decode(_ message: SMPMessage) throws(SMPError) -> SMPRequest {
        try decode(header: message.header, data: message.body)
    }

    /// Decodes the data of a request whose header has already been read.
    public static func decode(header: SMPHeader, data: [UInt8]) throws(SMPError) -> SMPRequest {
        let read = header.op == .read
        let write = header.op == .write
        switch (header.group, header.command) {
        case (.os, SMPCommandID.OS.echo) where read || write: return .echo(try SMPEchoRequest(data: data))
        case (.os, SMPCommandID.OS.taskStats) where read: return .taskStats(try SMPTaskStatsRequest(data: data))
        case (.os, SMPCommandID.OS.memoryPoolStats) where read:
            return .memoryPoolStats(try SMPMemoryPoolStatsRequest(data: data))
        case (.os, SMPCommandID.OS.dateTime) where read: return .dateTimeRead(try SMPDateTimeReadRequest(data: data))
        case (.os, SMPCommandID.OS.dateTime) where write:
            return .dateTimeWrite(try SMPDateTimeWriteRequest(data: data))
        case (.os, SMPCommandID.OS.reset) where write: return .reset(try SMPResetRequest(data: data))
        case (.os, SMPCommandID.OS.mcumgrParameters) where read: return .params(try SMPParamsRequest(data: data))
        case (.os, SMPCommandID.OS.applicationInfo) where read: return .osInfo(try SMPOSInfoRequest(data: data))
        case (.os, SMPCommandID.OS.bootloaderInfo) where read:
            return .bootloaderInfo(try SMPBootloaderInfoRequest(data: data))
        case (.image, SMPCommandID.Image.state) where read:
            return .imageStateRead(try SMPImageStateReadRequest(data: data))
        case (.image, SMPCommandID.Image.state) where write:
            return .imageStateWrite(try SMPImageStateWriteRequest(data: data))
        case (.image, SMPCommandID.Image.upload) where write:
            return .imageUpload(try SMPImageUploadRequest(data: data))
        case (.image, SMPCommandID.Image.erase) where write: return .imageErase(try SMPImageEraseRequest(data: data))
        case (.image, SMPCommandID.Image.slotInfo) where read: return .slotInfo(try SMPSlotInfoRequest(data: data))
        default:
            throw SMPError(
                .unknownCommand,
                at: 0,
                "no command \(header.command) of \(header.group) for op \(header.op)"
            )
        }
    }

    /// The typed body.
    public var body: any SMPRequestBody {
        switch self {
        case .echo(let b): return b
        case .reset(let b): return b
        case .taskStats(let b): return b
        case .memoryPoolStats(let b): return b
        case .dateTimeRead(let b): return b
        case .dateTimeWrite(let b): return b
        case .params(let b): return b
        case .osInfo(let b): return b
        case .bootloaderInfo(let b): return b
        case .imageStateRead(let b): return b
        case .imageStateWrite(let b): return b
        case .imageUpload(let b): return b
        case .imageErase(let b): return b
        case .slotInfo(let b): return b
        }
    }
}

/// The success response bodies this codec models, by the request header they answer: what a client uses to read a
/// reply without knowing its type up front.
public enum SMPResponseTypes {
    /// The response type for a (group, command, request op), nil if none is modelled.
    public static func type(for request: SMPHeader) -> (any SMPResponseBody.Type)? {
        let read = request.op == .read
        let write = request.op == .write
        switch (request.group, request.command) {
        case (.os, SMPCommandID.OS.echo) where read || write: return SMPEchoResponse.self
        case (.os, SMPCommandID.OS.taskStats) where read: return SMPTaskStatsResponse.self
        case (.os, SMPCommandID.OS.memoryPoolStats) where read: return SMPMemoryPoolStatsResponse.self
        case (.os, SMPCommandID.OS.dateTime) where read: return SMPDateTimeReadResponse.self
        case (.os, SMPCommandID.OS.dateTime) where write: return SMPDateTimeWriteResponse.self
        case (.os, SMPCommandID.OS.reset) where write: return SMPResetResponse.self
        case (.os, SMPCommandID.OS.mcumgrParameters) where read: return SMPParamsResponse.self
        case (.os, SMPCommandID.OS.applicationInfo) where read: return SMPOSInfoResponse.self
        case (.os, SMPCommandID.OS.bootloaderInfo) where read: return SMPBootloaderInfoResponse.self
        case (.image, SMPCommandID.Image.state) where read || write: return SMPImageStateResponse.self
        case (.image, SMPCommandID.Image.upload) where write: return SMPImageUploadResponse.self
        case (.image, SMPCommandID.Image.erase) where write: return SMPImageEraseResponse.self
        case (.image, SMPCommandID.Image.slotInfo) where read: return SMPSlotInfoResponse.self
        default: return nil
        }
    }
}

extension SMPHeader {
    /// Whether this header can be the answer to `request`: op is the request's + 1 and group, command id and sequence
    /// match (match on all four; matching the sequence alone lets any reply complete any command).
    public func answers(_ request: SMPHeader) -> Bool {
        guard let rsp = request.op.response else { return false }
        return op == rsp && group == request.group && command == request.command && sequence == request.sequence
    }
}
