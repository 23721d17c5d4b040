/// A grapheme cluster as a cell holds it: up to `Glyph.capacity` Unicode scalars packed into
/// two words, so a `Cell` is plain data that frames copy, fill and compare without reference
/// counting (a `Character` is a string: every copy and comparison was a runtime call, D186).
///
/// A cluster of more scalars is cut the way a curses cell must cut it (ncursesw stores at
/// most 5 wide characters per cell, `CCHARW_MAX`): to its part before the first zero-width
/// joiner, at most `capacity` scalars, so a long ZWJ sequence degrades to its first emoji,
/// never to a sequence ending in a joiner (D114).
public struct Glyph: Sendable, Hashable {
    /// The most scalars a glyph keeps: what a curses cell can hold.
    public static let capacity = 5
    private static let bits: UInt64 = 21
    private static let mask: UInt64 = (1 << 21) - 1
    private static let countShift: UInt64 = 42

    /// Scalars 0-2, 21 bits each.
    private var low: UInt64
    /// Scalars 3-4, 21 bits each, then the count at bit 42.
    private var high: UInt64

    /// The glyph of `character`, cut as described above when it has more than `capacity` scalars.
    public init(_ character: Character) {
        low = 0
        high = 0
        let scalars = character.unicodeScalars
        var count = 0
        if scalars.count <= Self.capacity {
            for scalar in scalars { append(scalar.value, at: &count) }
        } else {
            for scalar in scalars {
                if scalar.value == 0x200D || count == Self.capacity { break }
                append(scalar.value, at: &count)
            }
        }
        high |= UInt64(count) << Self.countShift
    }

    /// The glyph of one printable ASCII byte (the frame's fast path: no grapheme breaking).
    @inline(__always)
    public init(ascii byte: UInt8) {
        low = UInt64(byte)
        high = 1 << Self.countShift
    }

    /// A space.
    public static let space = Glyph(ascii: 0x20)

    /// No character at all: what a cell whose content is not known holds (rows a scroll
    /// vacated in the last frame), so it equals no cell ever drawn and is always rewritten.
    static let unknown = Glyph(low: 0, high: 0)

    private init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    private mutating func append(_ value: UInt32, at count: inout Int) {
        if count < 3 {
            low |= UInt64(value) << (Self.bits * UInt64(count))
        } else {
            high |= UInt64(value) << (Self.bits * UInt64(count - 3))
        }
        count += 1
    }

    /// How many scalars the glyph holds (1 to `capacity`; 0 only for an empty character).
    public var scalarCount: Int { Int(high >> Self.countShift) }

    /// The scalar values, in order.
    public var scalars: [UInt32] { (0..<scalarCount).map(scalar(at:)) }

    /// Scalar `index` (0 ..< `scalarCount`), without building an array.
    @inline(__always)
    public func scalar(at index: Int) -> UInt32 {
        let word = index < 3 ? low : high
        return UInt32(truncatingIfNeeded: (word >> (Self.bits * UInt64(index % 3))) & Self.mask)
    }

    /// The glyph as a `Character` (the first cluster, should its scalars not form one).
    public var character: Character {
        if scalarCount == 1, low < 0x80 {
            return Character(Unicode.Scalar(UInt8(truncatingIfNeeded: low)))
        }
        var text = String.UnicodeScalarView()
        for value in scalars { if let scalar = Unicode.Scalar(value) { text.append(scalar) } }
        return String(text).first ?? " "
    }
}
