import Glibc

/// Blocking socket helpers for the mock server's threads (Glibc only).
enum MockSocket {
    /// A listening TCP socket on 127.0.0.1; returns the descriptor and the bound port.
    static func listen(port: UInt16) throws(MockServerError) -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MockServerError(operation: "socket", errno: errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw MockServerError(operation: "bind/listen on 127.0.0.1:\(port)", errno: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// Per-connection options: no Nagle delay (chunks go out at once), a receive timeout.
    static func configureConnection(_ fd: Int32) {
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes all bytes; false when the peer is gone (EPIPE, ECONNRESET) or on error.
    /// `MSG_NOSIGNAL` turns a closed peer into EPIPE instead of SIGPIPE.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += sent
            }
            return true
        }
    }

    /// Waits up to `milliseconds`; returns false as soon as the peer closes its side
    /// (or the socket is shut down), true when the time passed with the peer still there.
    static func waitWhileConnected(_ fd: Int32, milliseconds: Int) -> Bool {
        var remaining = milliseconds
        while remaining > 0 {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let start = monotonicMilliseconds()
            let ready = poll(&entry, 1, Int32(remaining))
            if ready < 0 && errno != EINTR { return false }
            if ready > 0 {
                if entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return false }
                var byte: UInt8 = 0
                let peeked = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
                if peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EINTR) { return false }
                if peeked > 0 { drain(fd) }
            }
            remaining -= max(1, monotonicMilliseconds() - start)
        }
        return true
    }

    /// Discards unexpected input (the client sent more than one request's worth).
    private static func drain(_ fd: Int32) {
        var scratch = [UInt8](repeating: 0, count: 4096)
        _ = recv(fd, &scratch, scratch.count, Int32(MSG_DONTWAIT))
    }

    static func monotonicMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }

    /// Reads one HTTP/1.1 request (headers, then a `Content-Length` body).
    static func readRequest(_ fd: Int32) -> RecordedRequest? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var headerEnd: Int?
        while headerEnd == nil {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            headerEnd = findHeaderEnd(buffer)
            if buffer.count > 1 << 20 && headerEnd == nil { return nil }
        }
        guard let headerEnd, var request = parseHead(buffer[0..<headerEnd]) else { return nil }
        let length = Int(request.headers["content-length"] ?? "0") ?? 0
        var body = Array(buffer[(headerEnd + 4)...])
        while body.count < length {
            let count = recv(fd, &chunk, min(chunk.count, length - body.count), 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            body += chunk[0..<count]
        }
        request.body = Array(body.prefix(length))
        return request
    }

    private static func findHeaderEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private static func parseHead(_ head: ArraySlice<UInt8>) -> RecordedRequest? {
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })
        }
        let target = requestLine[1]
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? target
        return RecordedRequest(method: String(requestLine[0]), path: String(path), headers: headers, body: [])
    }
}
