import CNcursesw
import CShims
import TerminalUI

/// Why the terminal could not be started.
public struct TerminalStartError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// The real terminal, through ncursesw. The only type that calls curses.
///
/// Not `Sendable`: create and use it from one task (the UI loop); curses is not thread-safe.
public final class NcursesTerminal: TerminalBackend {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var colorPairs: [ColorKey: Int16] = [:]
    private var nextPair: Int16 = 1
    /// Colours the terminal supports (curses' `COLORS`; 0 without colour). The app picks
    /// the theme's colour depth from it (`ColorDepth(colorCount:)`).
    public let colorCount: Int
    private let maxPairs: Int
    private var decoder = KeyDecoder()
    /// The colours of the last cell drawn and their pair.
    private var lastPair: (foreground: Color, background: Color, pair: Int16)?
    private var isShutDown = false
    /// Where the escape sequences curses does not send go (bracketed paste, SGR mouse): the
    /// terminal's descriptor, 1 in the app.
    private let outputDescriptor: Int32

    private struct ColorKey: Hashable {
        var foreground: Color
        var background: Color
    }

    /// Starts curses on the controlling terminal: alternate screen, raw keys, no echo.
    /// The terminal guard (signal handlers that restore the tty) must be installed first.
    public convenience init(term: String?) throws(TerminalStartError) {
        try self.init(term: term, output: sc_stdout(), input: sc_stdin(), outputDescriptor: 1)
    }

    /// Curses on other streams (tests: an off-screen terminal on files).
    init(term: String?, output: UnsafeMutablePointer<FILE>?, input: UnsafeMutablePointer<FILE>?,
         outputDescriptor: Int32) throws(TerminalStartError) {
        self.outputDescriptor = outputDescriptor
        guard let screen = newterm(term, output, input) else {
            throw TerminalStartError(description: "cannot start the terminal: unknown TERM \"\(term ?? "")\"")
        }
        self.screen = screen
        set_term(screen)
        guard let window = sc_stdscr() else {
            throw TerminalStartError(description: "cannot start the terminal: no screen")
        }
        self.window = window
        raw()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        colorCount = has_colors() ? Int(sc_colors()) : 0
        // Pair numbers are `short` in the cchar API: with 256 colours COLOR_PAIRS can exceed that.
        maxPairs = has_colors() ? min(Int(sc_color_pairs()), Int(Int16.max)) : 0
        Self.bufferOutput()
        // Bracketed paste: pasted text arrives between ESC[200~ and ESC[201~.
        sc_write_all(outputDescriptor, "\u{1B}[?2004h", 8)
        Self.enableWheel(outputDescriptor)
    }

    /// Makes a frame one `write`, not one per cursor move (D185), and a whole one. Until the
    /// screen has been suspended and resumed once, ncurses 6.4 counts it as "not initialized"
    /// and flushes its output after every cursor movement (`_nc_mvcur` with `ewInitial`, meant
    /// for terminfo-only programs): a streaming frame was 30-40 writes, each waking the
    /// terminal's reader. `endwin` then `doupdate` moves it to running before anything is
    /// drawn (both screens are blank; the alternate screen is left and entered again).
    private static func bufferOutput() {
        endwin()
        doupdate()
        // No typeahead check: ncurses polled the keyboard every few changed lines of a
        // frame (1,600 `poll`s in a 10 s stream) to abandon a frame half drawn when a key
        // was waiting. Keys are read by the input thread and draw their own frame at once,
        // so every frame is drawn whole (D188).
        typeahead(-1)
    }

    /// Asks for wheel events only (buttons 4 and 5 pressed). curses sends the terminal's
    /// mouse-on sequence from terminfo (button mode 1000; with SGR mode 1006 when `kmous`
    /// is `ESC [<`, as for xterm-256color, and decodes those reports itself). SGR mode is
    /// turned on here too: under terminfo entries that expect the old X10 encoding
    /// (screen, tmux-256color) the reports then arrive as text that `KeyDecoder` decodes,
    /// and the wheel works past column 223, where X10 cannot report. Button mode reports
    /// no motion, so Shift-drag still selects text in terminals that reserve Shift for it.
    /// No click interval: a wheel step is delivered at once.
    private static func enableWheel(_ descriptor: Int32) {
        mouseinterval(0)
        guard mousemask(sc_mouse_wheel_mask(), nil) != 0 else { return }
        sc_write_all(descriptor, "\u{1B}[?1006h", 8)
    }

    /// The current terminal size.
    public var size: TerminalSize {
        TerminalSize(columns: Int(getmaxx(window)), rows: Int(getmaxy(window)))
    }

    /// Number of colours the terminal supports (0 without colour); the same as `colorCount`.
    public var colors: Int { colorCount }

    /// Writes the changed runs, moves the cursor and updates the physical screen.
    public func draw(_ runs: [CellRun], cursor: (x: Int, y: Int)?) {
        for run in runs {
            var x = run.x
            for cell in run.cells {
                if !cell.isContinuation { put(cell, x: x, y: run.y) }
                x += 1
            }
        }
        if let cursor {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// Moves the cells of a region up, as curses' own copy of the screen: a subwindow over
    /// the region is scrolled (a `memcpy` per row in ncurses, not a call per cell) and its
    /// rows are marked changed (`wsyncup`), so `doupdate` finds the scroll as it would have (D194).
    public func scroll(_ scroll: RegionScroll) -> Bool {
        let rect = scroll.rect
        guard scroll.fits(width: Int(getmaxx(window)), height: Int(getmaxy(window))),
              let region = derwin(window, Int32(rect.height), Int32(rect.width), Int32(rect.y), Int32(rect.x))
        else { return false }
        defer { delwin(region) }
        scrollok(region, true)
        guard wscrl(region, Int32(scroll.rows)) == OK else { return false }
        wsyncup(region)  // the screen's rows are marked changed in the region's columns only
        return true
    }

    /// The scalars curses holds for the cell at `x`, `y` (tests read the screen back).
    func storedScalars(x: Int, y: Int) -> [UInt32] {
        var cell = cchar_t()
        guard mvwin_wch(window, Int32(y), Int32(x), &cell) == OK else { return [] }
        return withUnsafeBytes(of: &cell.chars) { raw in
            raw.bindMemory(to: wchar_t.self).prefix { $0 != 0 }.map { UInt32(bitPattern: $0) }
        }
    }

    /// Forces a full repaint on the next draw (after a resize or Ctrl-L).
    public func invalidate() {
        clearok(window, true)
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        var cchar = NcursesCell.make(cell.glyph, attributes: attributes(cell.style.attributes),
                                     pair: colorPair(cell.style))
        mvwadd_wch(window, Int32(y), Int32(x), &cchar)
    }

    private func attributes(_ attributes: TextAttributes) -> attr_t {
        var result = sc_attr_normal
        if attributes.contains(.bold) { result |= sc_attr_bold }
        if attributes.contains(.dim) { result |= sc_attr_dim }
        if attributes.contains(.italic) { result |= sc_attr_italic }
        if attributes.contains(.underline) { result |= sc_attr_underline }
        if attributes.contains(.reverse) { result |= sc_attr_reverse }
        return result
    }

    private func colorPair(_ style: Style) -> Int16 {
        guard colorCount > 0, style.foreground != .default || style.background != .default else { return 0 }
        // Neighbouring cells mostly share their colours: one comparison instead of a lookup.
        if let last = lastPair, last.foreground == style.foreground, last.background == style.background {
            return last.pair
        }
        let pair = lookUpPair(style)
        lastPair = (style.foreground, style.background, pair)
        return pair
    }

    private func lookUpPair(_ style: Style) -> Int16 {
        let key = ColorKey(foreground: style.foreground, background: style.background)
        if let pair = colorPairs[key] { return pair }
        guard Int(nextPair) < maxPairs else { return 0 }
        let pair = nextPair
        nextPair += 1
        init_pair(pair, colorNumber(style.foreground), colorNumber(style.background))
        colorPairs[key] = pair
        return pair
    }

    /// The curses colour number. Themes are resolved for `colorCount` before they get here,
    /// so the fallback (folding onto the 8 basic colours) only guards against misuse.
    private func colorNumber(_ color: Color) -> Int16 {
        switch color {
        case .default: return -1
        case .ansi(let n): return Int16(Int(n) < colorCount ? Int(n) : Int(n) % 8)
        case .indexed(let n): return Int16(Int(n) < colorCount ? Int(n) : Int(n) % 8)
        }
    }

    /// Reads everything available without waiting and decodes it into key events.
    /// Returns whether the terminal reported a resize.
    public func readKeys() -> (keys: [KeyEvent], resized: Bool) {
        var raw: [RawInput] = []
        var resized = false
        var wch: wint_t = 0
        while true {
            let result = wget_wch(window, &wch)
            if result == OK {
                raw.append(.scalar(UInt32(wch)))
            } else if result == KEY_CODE_YES {
                if Int32(wch) == KEY_RESIZE { resized = true; continue }
                if Int32(wch) == KEY_MOUSE {
                    if let wheel = Self.wheelStep() { raw.append(.key(wheel)) }
                    continue
                }
                if let key = Self.namedKey(Int32(wch)) { raw.append(.key(key)) }
            } else {
                break
            }
        }
        return (decoder.feed(raw), resized)
    }

    /// The wheel step of the pending mouse event; nil for anything else (clicks the
    /// terminal reports anyway in button mode are dropped).
    private static func wheelStep() -> NamedKey? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        if sc_mouse_is_wheel_up(event.bstate) != 0 { return .mouseWheelUp }
        if sc_mouse_is_wheel_down(event.bstate) != 0 { return .mouseWheelDown }
        return nil
    }

    private static func namedKey(_ code: Int32) -> NamedKey? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_DC: .delete
        case KEY_BACKSPACE: .backspace
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        case KEY_IC: .insert
        case (KEY_F0 + 1)...(KEY_F0 + 24): .function(Int(code - KEY_F0))
        default: nil
        }
    }

    /// Leaves curses: restores the terminal modes and the main screen.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        sc_write_all(outputDescriptor, "\u{1B}[?2004l", 8)
        sc_write_all(outputDescriptor, "\u{1B}[?1006l", 8)
        _ = mousemask(0, nil)  // sends the terminal's mouse-off sequence
        endwin()
        delscreen(screen)
    }

    deinit { shutdown() }
}
