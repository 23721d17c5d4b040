import CMallocPolicy
import Testing

/// The executable's malloc settings (D153, D199), linked into this test process as into the app.
@Suite(.timeLimit(.minutes(1))) struct MallocPolicyTests {
    /// The process's resident KiB, from `/proc/self/statm` (the main arena is not always
    /// all in `[heap]`: past a mapping in its way it continues in anonymous mappings).
    static func residentKiB() throws -> Int {
        let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return (Int(fields[1]) ?? 0) * 4
    }

    @Test func theConstructorLimitedMallocToOneArena() {
        #expect(sc_malloc_arena_limit() == 1)
    }

    /// Freed blocks below a live one stay resident until the pages are released; the release
    /// gives them back. A turn's transient buffers leave exactly this shape (D199).
    @Test func releasingFreePagesShrinksTheHeapBelowALiveBlock() throws {
        // Every other 64 KiB block stays live, so the freed ones cannot merge with each other
        // or with the heap's top (which free itself returns).
        let blocks = (0..<128).map { _ in
            let block = UnsafeMutableRawPointer.allocate(byteCount: 64 * 1024, alignment: 16)
            block.initializeMemory(as: UInt8.self, repeating: 0x5A, count: 64 * 1024)
            return block
        }
        defer { for index in stride(from: 1, to: blocks.count, by: 2) { blocks[index].deallocate() } }
        for index in stride(from: 0, to: blocks.count, by: 2) { blocks[index].deallocate() }
        let before = try Self.residentKiB()
        sc_malloc_release_free_pages()
        let after = try Self.residentKiB()
        // 4 MiB were freed; other tests allocating meanwhile may reuse some of it.
        #expect(before - after >= 2 * 1024, "resident \(before) KiB → \(after) KiB")
    }
}
