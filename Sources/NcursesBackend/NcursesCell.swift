import CNcursesw
import TerminalUI

/// Builds the curses cell for one grapheme cluster (D114).
///
/// `setcchar` keeps only the first spacing character and the zero-width ones after it, so it
/// cut `👍🏽` to `👍` (the skin-tone modifier is a spacing character to `wcwidth`) and
/// `👨‍👩‍👧` to `👨` plus a stray zero-width joiner. The cell's characters are therefore
/// written directly: curses stores up to `CCHARW_MAX` wide characters per cell and sends all
/// of them to the terminal, which draws the cluster as one glyph. A `Glyph` already holds a
/// cluster cut to what a cell can take (D186).
enum NcursesCell {
    /// The scalars the cell holds: the whole cluster when it fits in `CCHARW_MAX`; else its
    /// first part up to the first zero-width joiner (a longer ZWJ sequence degrades to its
    /// first emoji, never to a cut sequence ending in a joiner).
    static func scalars(for character: Character) -> [UInt32] {
        Array(Glyph(character).scalars.prefix(Int(CCHARW_MAX)))
    }

    /// A curses cell holding `character` with the given attributes and colour pair.
    static func make(_ character: Character, attributes: attr_t, pair: Int16) -> cchar_t {
        make(Glyph(character), attributes: attributes, pair: pair)
    }

    /// A curses cell holding `glyph` with the given attributes and colour pair. Called for
    /// every changed cell of a frame, so it allocates nothing (D187).
    static func make(_ glyph: Glyph, attributes: attr_t, pair: Int16) -> cchar_t {
        let count = glyph.scalarCount
        var cchar = cchar_t()
        // setcchar sets the attributes and colour (its field layout is private to curses) from
        // the first character; the rest are then written into the cell's character array.
        var first: (wchar_t, wchar_t) = (wchar_t(bitPattern: count > 0 ? glyph.scalar(at: 0) : 0x20), 0)
        withUnsafePointer(to: &first) { pointer in
            pointer.withMemoryRebound(to: wchar_t.self, capacity: 2) { _ = setcchar(&cchar, $0, attributes, pair, nil) }
        }
        withUnsafeMutableBytes(of: &cchar.chars) { raw in
            let slots = raw.bindMemory(to: wchar_t.self)
            for index in slots.indices {
                slots[index] = index < count ? wchar_t(bitPattern: glyph.scalar(at: index)) : 0
            }
        }
        return cchar
    }
}
