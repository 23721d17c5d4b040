import TerminalUI

/// How many colours the terminal can show; themes are resolved for it.
public enum ColorDepth: Sendable, Hashable {
    /// No colour (`NO_COLOR`, or a terminal without colours): attributes only.
    case monochrome
    /// The 16 ANSI colours (8-colour terminals fold the bright half onto the dark one).
    case ansi16
    /// The xterm 256-colour palette.
    case xterm256

    /// The depth for a terminal reporting `colorCount` colours (curses' `COLORS`).
    public init(colorCount: Int) {
        if colorCount >= 256 {
            self = .xterm256
        } else if colorCount >= 8 {
            self = .ansi16
        } else {
            self = .monochrome
        }
    }
}

/// A colour as a theme file writes it, before it is fitted to the terminal.
public enum ThemeColor: Sendable, Hashable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 16 ANSI colours, by number (the terminal's palette decides the shade).
    case ansi(UInt8)
    /// An xterm-256 index.
    case indexed(UInt8)
    /// `#rrggbb`.
    case rgb(UInt8, UInt8, UInt8)

    /// The closest colour the terminal can show at `depth`.
    public func resolved(for depth: ColorDepth) -> Color {
        switch (self, depth) {
        case (.terminalDefault, _), (_, .monochrome): return .default
        case (.ansi(let n), _): return .ansi(n)
        case (.indexed(let n), .xterm256): return .indexed(n)
        case (.indexed(let n), .ansi16):
            if n < 16 { return .ansi(n) }
            let (r, g, b) = ColorMapping.rgb(ofXterm: n)
            return .ansi(ColorMapping.nearestANSI16(r, g, b))
        case (.rgb(let r, let g, let b), .xterm256): return .indexed(ColorMapping.nearestXterm256(r, g, b))
        case (.rgb(let r, let g, let b), .ansi16): return .ansi(ColorMapping.nearestANSI16(r, g, b))
        }
    }
}

/// Fitting 24-bit colours to the xterm palettes (pure functions).
public enum ColorMapping {
    /// xterm's default values for the 16 ANSI colours.
    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
        (255, 255, 255),
    ]
    /// The six levels of each channel in the 6×6×6 colour cube (indices 16-231).
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of xterm palette entry `index` (0-15 use xterm's defaults).
    public static func rgb(ofXterm index: UInt8) -> (UInt8, UInt8, UInt8) {
        switch index {
        case 0..<16: return ansiRGB[Int(index)]
        case 16..<232:
            let n = Int(index) - 16
            return (UInt8(cubeLevels[n / 36]), UInt8(cubeLevels[n / 6 % 6]), UInt8(cubeLevels[n % 6]))
        default:
            let level = UInt8(8 + 10 * (Int(index) - 232))
            return (level, level, level)
        }
    }

    /// The nearest entry of the 240 fixed xterm colours (16-255: the cube and the grey
    /// ramp; 0-15 are skipped because terminals redefine them).
    public static func nearestXterm256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let cube = [r, g, b].map { channel in
            cubeLevels.indices.min { abs(cubeLevels[$0] - Int(channel)) < abs(cubeLevels[$1] - Int(channel)) } ?? 0
        }
        let cubeIndex = UInt8(16 + 36 * cube[0] + 6 * cube[1] + cube[2])
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = min(23, max(0, (average - 8 + 5) / 10))
        let greyIndex = UInt8(232 + greyStep)
        let cubeDistance = distance((r, g, b), rgb(ofXterm: cubeIndex))
        let greyDistance = distance((r, g, b), rgb(ofXterm: greyIndex))
        return greyDistance < cubeDistance ? greyIndex : cubeIndex
    }

    /// The closest of the 16 ANSI colours. Plain RGB distance sends most pastel and
    /// saturated colours to grey, so this keeps the hue: an exact xterm value maps to itself;
    /// a greyish colour (little chroma) picks black, bright black, white or bright white by
    /// lightness; any other takes the nearest of the six hues, bright when it is light.
    public static func nearestANSI16(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        if let exact = ansiRGB.firstIndex(where: { $0 == (r, g, b) }) { return UInt8(exact) }
        let red = Double(r), green = Double(g), blue = Double(b)
        let high = max(red, green, blue), low = min(red, green, blue)
        let chroma = high - low
        let lightness = (high + low) / 2
        if chroma < 40 {
            switch lightness {
            case ..<50: return 0
            case ..<140: return 8
            case ..<235: return 7
            default: return 15
            }
        }
        var hue: Double
        if high == red {
            hue = 60 * ((green - blue) / chroma)
        } else if high == green {
            hue = 60 * ((blue - red) / chroma + 2)
        } else {
            hue = 60 * ((red - green) / chroma + 4)
        }
        if hue < 0 { hue += 360 }
        // Sectors of 60° centred on red, yellow, green, cyan, blue, magenta.
        let byHue: [UInt8] = [1, 3, 2, 6, 4, 5]
        let base = byHue[Int((hue + 30) / 60) % 6]
        return lightness >= 140 ? base + 8 : base
    }

    /// Squared "redmean" distance: cheap and closer to perception than plain RGB distance.
    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let meanRed = (Int(a.0) + Int(b.0)) / 2
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return ((512 + meanRed) * dr * dr >> 8) + 4 * dg * dg + ((767 - meanRed) * db * db >> 8)
    }
}
