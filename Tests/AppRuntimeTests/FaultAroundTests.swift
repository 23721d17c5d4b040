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

    /// Trimming drops a covered read-only mapping's pages; read again, they hold the file's bytes.
    @Test func trimmingDropsPagesThatComeBackUnchanged() throws {
        let file = try MappedFile(protection: PROT_READ)
        #expect(sc_fault_around_cover_range(file.base, UInt(file.length)) == 0)
        for page in [3, 4, 5] { #expect(file.read(page: page) == UInt8(page + 1)) }
        #expect(sc_fault_around_trim() >= 0)
        #expect(try file.presentPages() == [])
        #expect(file.read(page: 4) == 5)
        #expect(try file.presentPages() == [4])
    }

    /// A page written while the mapping was writable is a private copy: a trim keeps it (and
    /// its bytes), and drops the file's pages beside it.
    @Test func trimmingKeepsPrivateCopiesOfARelocatedMapping() throws {
        let file = try MappedFile(protection: PROT_READ | PROT_WRITE)
        file.store(page: 7, 0xEE)
        #expect(file.read(page: 8) == 9)
        #expect(mprotect(file.base, file.length, PROT_READ) == 0)
        #expect(sc_fault_around_cover_range(file.base, UInt(file.length)) == 0)
        #expect(sc_fault_around_trim() >= 0)
        #expect(try file.presentPages() == [7])
        #expect(file.read(page: 7) == 0xEE)
        #expect(file.read(page: 8) == 9)
    }

    /// A writable mapping may be written by another thread at any moment: a trim leaves it alone.
    @Test func trimmingLeavesWritableMappingsAlone() throws {
        let file = try MappedFile(protection: PROT_READ | PROT_WRITE)
        #expect(sc_fault_around_cover_range(file.base, UInt(file.length)) == 0)
        file.store(page: 1, 0xAB)
        #expect(file.read(page: 2) == 3)
        #expect(sc_fault_around_trim() >= 0)
        #expect(try file.presentPages() == [1, 2])
        #expect(file.read(page: 1) == 0xAB)
    }

    /// Mappings made after start (a library loaded with dlopen) are covered by the next call,
    /// once; their pages faulted in so far go.
    @Test func coveringFindsNewMappingsOnce() throws {
        let file = try MappedFile(protection: PROT_READ)
        #expect(file.read(page: 30) == 31)
        #expect(try file.presentPages().count > 1)
        let covered = sc_fault_around_cover_mappings()
        #expect(covered >= 1)
        #expect(try file.presentPages() == [])
        #expect(file.read(page: 30) == 31)
        #expect(try file.presentPages() == [30])
    }
}
