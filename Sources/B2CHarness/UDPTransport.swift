import B2CWire

#if canImport(Glibc)
    import Glibc
#endif

/// `HOST:PORT`, `[IPv6]:PORT`: where a UDP device listens. Parsing is strict and says what is wrong.
public struct UDPEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `text`; the error names what is wrong with it.
    public init(parsing text: String) throws(HarnessError) {
        func bad(_ why: String) -> HarnessError { HarnessError(.descriptor, "\(text): \(why) (want HOST:PORT)") }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw bad("no ] after the IPv6 address") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw bad("no :PORT after the address") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw bad("no port") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { throw bad("an IPv6 address needs brackets") }
        }
        guard !host.isEmpty else { throw bad("no host") }
        guard let port = UInt16(portText), port > 0 else { throw bad("the port must be 1 to 65535") }
        self.init(host: String(host), port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// One UDP socket connected to a device: each send one datagram, each receive one whole datagram, as SMP over UDP
/// carries one message a datagram. A device that is not listening shows up as the stream closing (the ICMP "port
/// unreachable" the kernel reports), not as a hang.
public final class UDPTransport: DatagramTransport {
    public let endpoint: UDPEndpoint
    /// The largest datagram sent or received (larger sends are refused, not cut).
    public let maxDatagram: Int
    private let fd: Int32
    private var closed = false
    private var buffer: [UInt8]

    public init(_ endpoint: UDPEndpoint, maxDatagram: Int = 65_507) throws(HarnessError) {
        self.endpoint = endpoint
        self.maxDatagram = max(1, min(maxDatagram, 65_507))
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &found)
        guard status == 0, let first = found else {
            throw HarnessError(.targetStart, "\(endpoint): cannot resolve: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(found) }
        var fd: Int32 = -1
        var lastError: Int32 = 0
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let ai = next {
            let s = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            if s >= 0 {
                if connect(s, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 {
                    fd = s
                    break
                }
                lastError = errno
                Glibc.close(s)
            } else {
                lastError = errno
            }
            next = ai.pointee.ai_next
        }
        guard fd >= 0 else {
            throw HarnessError(
                .targetStart,
                "\(endpoint): cannot connect a UDP socket: \(String(cString: strerror(lastError)))"
            )
        }
        self.fd = fd
        buffer = [UInt8](repeating: 0, count: self.maxDatagram + 1)
    }

    deinit { close() }

    public func send(_ datagram: [UInt8]) -> Bool {
        guard !closed, datagram.count <= maxDatagram else { return false }
        while true {
            let n = datagram.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n == datagram.count { return true }
            if n < 0 && errno == EINTR { continue }
            // ECONNREFUSED here is an earlier datagram's "port unreachable": the device is not listening.
            return false
        }
    }

    public func receive(deadline: UInt64) -> DatagramRead {
        while true {
            if closed { return .closed("closed") }
            guard FileDescriptorIO.waitReadable(fd, until: deadline) else { return .timeout }
            let n = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > maxDatagram { continue }  // over the limit: dropped, as a device's too-large datagram would be
            if n >= 0 { return .datagram(Array(buffer[0..<n])) }
            if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
            if errno == ECONNREFUSED { return .closed("\(endpoint): port unreachable (nothing listens there)") }
            return .closed("\(endpoint): \(String(cString: strerror(errno)))")
        }
    }

    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }
}
