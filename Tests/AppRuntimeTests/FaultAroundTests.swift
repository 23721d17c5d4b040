import CFaultAround
import Glibc
import Testing

/// The executable's file mappings without fault-around (D200), linked into this test process
/// as into the app: each test maps a file of its own and reads which of its pages are mapped
/// from `/proc/self/pagemap`.
/// Serialized: a trim or a cover call acts on every mapping of the process, other tests' too.
@Suite(.serialized, .timeLimit(.minutes(1)), .enabled(if: sc_fault_around_active() == 1, "userfaultfd refused here"))
struct FaultAroundTests {
    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    static let pageCount = 64

    /// A file of `pageCount` pages, page N filled with byte N + 1, in the page cache (just written).
    final class MappedFile {
        let path: String
        let base: UnsafeMutableRawPointer
        let length = FaultAroundTests.pageCount * FaultAroundTests.pageSize

        init(protection: Int32) throws {
            var template = Array("/tmp/swiftcoder-fault-around-XXXXXX".utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            try #require(descriptor >= 0)
            path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            defer { close(descriptor) }
            var bytes = [UInt8](repeating: 0, count: length)
            for page in 0..<FaultAroundTests.pageCount {
                bytes.replaceSubrange(page * FaultAroundTests.pageSize..<(page + 1) * FaultAroundTests.pageSize,
                                      with: repeatElement(UInt8(page + 1), count: FaultAroundTests.pageSize))
            }
            try #require(write(descriptor, bytes, length) == length)
            let mapped = mmap(nil, length, protection, MAP_PRIVATE, descriptor, 0)
            try #require(mapped != MAP_FAILED)
            base = mapped!
        }

        deinit {
            munmap(base, length)
            unlink(path)
        }

        func read(page: Int) -> UInt8 { base.load(fromByteOffset: page * FaultAroundTests.pageSize, as: UInt8.self) }
        func store(page: Int, _ value: UInt8) { base.storeBytes(of: value, toByteOffset: page * FaultAroundTests.pageSize, as: UInt8.self) }

        /// Which pages are mapped in this process now (`/proc/self/pagemap`'s present bit).
        func presentPages() throws -> [Int] {
            let pagemap = open("/proc/self/pagemap", O_RDONLY)
            try #require(pagemap >= 0)
            defer { close(pagemap) }
            var entries = [UInt64](repeating: 0, count: FaultAroundTests.pageCount)
            let offset = off_t(Int(bitPattern: base) / FaultAroundTests.pageSize * 8)
            let got = entries.withUnsafeMutableBytes { pread(pagemap, $0.baseAddress, $0.count, offset) }
            try #require(got == FaultAroundTests.pageCount * 8)
            return entries.indices.filter { entries[$0] & (1 << 63) != 0 }
        }
    }

    /// The control maps the page's neighbours (the kernel's fault-around); the covered mapping
    /// of the same file maps only the page read.
    @Test func aCoveredMappingMapsOnlyThePagesRead() throws {
        let control = try MappedFile(protection: PROT_READ)
        #expect(control.read(page: 20) == 21)
        try #require(try control.presentPages().count > 1, "this kernel does not fault around")

        let covered = try MappedFile(protection: PROT_READ)
        #expect(sc_fault_around_cover_range(covered.base, UInt(covered.length)) == 0)
        #expect(covered.read(page: 20) == 21)
        #expect(covered.read(page: 40) == 41)
        #expect(try covered.presentPages() == [20, 40])
    }

    /// A dropped range keeps a page written while the mapping was writable (a private copy,
    /// like relocated data) with its bytes, and drops the file's pages beside it.
    @Test func droppingKeepsPrivateCopies() throws {
        let file = try MappedFile(protection: PROT_READ | PROT_WRITE)
        file.store(page: 7, 0xEE)
        #expect(file.read(page: 8) == 9)
        #expect(mprotect(file.base, file.length, PROT_READ) == 0)
        #expect(try file.presentPages().contains(7))
        #expect(sc_fault_around_drop_range(file.base, UInt(file.length)) == 0)
        #expect(try file.presentPages() == [7])
        #expect(file.read(page: 7) == 0xEE)
        #expect(file.read(page: 8) == 9)
    }

    /// Trimming drops the pages of a loaded library's code; called again, it runs from pages
    /// faulted back in one at a time.
    @Test func trimmingDropsALoadedLibrarysCodeThatRunsAgainAfter() throws {
        let library = try #require(dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL), "zlib is part of every Debian system")
        typealias Version = @convention(c) () -> UnsafePointer<CChar>
        let symbol = try #require(dlsym(library, "zlibVersion"))
        let version = unsafeBitCast(symbol, to: Version.self)
        let before = String(cString: version())
        let mapping = try Self.executableMapping(containing: UnsafeRawPointer(symbol))
        let code = try #require(mapping, "no executable mapping holds \(symbol)")
        #expect(try Self.presentPages(code) > 0)
        #expect(sc_fault_around_trim() >= 0)
        #expect(try Self.presentPages(code) == 0, "zlib's code is still mapped after the trim")
        #expect(String(cString: version()) == before)
        #expect(try Self.presentPages(code) >= 1)
    }

    /// Mappings made after start (a library loaded with dlopen) are covered by the next call,
    /// once; from then on a read maps only its own page.
    @Test func coveringFindsNewMappingsOnce() throws {
        let file = try MappedFile(protection: PROT_READ)
        #expect(file.read(page: 30) == 31)
        let aroundFirstRead = try file.presentPages()
        #expect(aroundFirstRead.count > 1)
        #expect(sc_fault_around_cover_mappings() >= 1)
        #expect(sc_fault_around_cover_mappings() == 0)
        // What the first read mapped depends on the page cache: on Linux 6.18 fault-around maps
        // a whole large folio, and a file written in one call can be one 64-page folio, so page
        // 60 may already be mapped. Unmap it all (the mapping holds no private copies), then
        // read: a covered mapping maps page 60 alone.
        #expect(madvise(file.base, file.length, MADV_DONTNEED) == 0)
        #expect(try file.presentPages().isEmpty)
        #expect(file.read(page: 60) == 61)
        let after = try file.presentPages()
        #expect(after.contains(60) && !after.contains(59) && !after.contains(61), "\(aroundFirstRead) then \(after)")
    }

    /// The executable mapping (start, end) of `/proc/self/maps` that holds `address`.
    static func executableMapping(containing address: UnsafeRawPointer) throws -> (start: UInt, end: UInt)? {
        let target = UInt(bitPattern: address)
        for line in try procFile("/proc/self/maps").split(separator: "\n") {
            let fields = line.split(separator: " ")
            let bounds = fields[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
            guard bounds.count == 2, fields[1].contains("x"), bounds[0] <= target, target < bounds[1] else { continue }
            return (bounds[0], bounds[1])
        }
        return nil
    }

    /// A `/proc` file read to its end (its size reads as 0, so it is read until `read` says so).
    static func procFile(_ path: String) throws -> String {
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            try #require(got >= 0)
            if got == 0 { break }
            bytes += chunk[0..<got]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Pages of `range` mapped in this process now.
    static func presentPages(_ range: (start: UInt, end: UInt)) throws -> Int {
        let pagemap = open("/proc/self/pagemap", O_RDONLY)
        try #require(pagemap >= 0)
        defer { close(pagemap) }
        let count = Int(range.end - range.start) / pageSize
        var entries = [UInt64](repeating: 0, count: count)
        let got = entries.withUnsafeMutableBytes { pread(pagemap, $0.baseAddress, $0.count, off_t(Int(range.start) / pageSize * 8)) }
        try #require(got == count * 8)
        return entries.filter { $0 & (1 << 63) != 0 }.count
    }
}
