import Testing
import TerminalUI
@testable import App

@Suite(.timeLimit(.minutes(2))) struct ColorMappingTests {
    @Test func everyFixedXtermColourMapsToItself() {
        for index in UInt8(16)...UInt8(255) {
            let (r, g, b) = ColorMapping.rgb(ofXterm: index)
            #expect(ColorMapping.nearestXterm256(r, g, b) == index)
        }
        for index in UInt8(0)..<UInt8(16) {
            let (r, g, b) = ColorMapping.rgb(ofXterm: index)
            #expect(ColorMapping.nearestANSI16(r, g, b) == index)
        }
    }

    @Test func hexColoursFindTheirNearestNeighbours() {
        #expect(ColorMapping.nearestXterm256(0xff, 0x00, 0x00) == 196)
        #expect(ColorMapping.nearestXterm256(0x80, 0x80, 0x80) == 244)
        #expect(ColorMapping.nearestXterm256(0x26, 0x8b, 0xd2) == 32)   // solarized blue
        #expect(ColorMapping.nearestXterm256(0x1e, 0x1e, 0x1e) == 234)  // a dark grey goes to the ramp
        #expect(ColorMapping.nearestANSI16(0xdc, 0x32, 0x2f) == 1)      // solarized red
        #expect(ColorMapping.nearestANSI16(0xf6, 0xf8, 0xfa) == 15)
        #expect(ColorMapping.nearestANSI16(0x26, 0x26, 0x26) == 0)
        #expect(ColorMapping.nearestANSI16(0x87, 0xd7, 0x87) == 10)
    }

    @Test func themeColoursResolvePerDepth() {
        let red = ThemeColor.rgb(0xff, 0x5f, 0x5f)
        #expect(red.resolved(for: .xterm256) == .indexed(203))
        #expect(red.resolved(for: .ansi16) == .ansi(9))
        #expect(red.resolved(for: .monochrome) == .default)
        #expect(ThemeColor.indexed(196).resolved(for: .ansi16) == .ansi(9))
        #expect(ThemeColor.indexed(5).resolved(for: .ansi16) == .ansi(5))
        #expect(ThemeColor.ansi(12).resolved(for: .xterm256) == .ansi(12))
        #expect(ThemeColor.terminalDefault.resolved(for: .ansi16) == .default)
    }

    @Test func theDepthFollowsTheTerminalsColourCount() {
        #expect(ColorDepth(colorCount: 0) == .monochrome)
        #expect(ColorDepth(colorCount: 8) == .ansi16)
        #expect(ColorDepth(colorCount: 16) == .ansi16)
        #expect(ColorDepth(colorCount: 88) == .ansi16)
        #expect(ColorDepth(colorCount: 256) == .xterm256)
        #expect(ColorDepth(colorCount: 16_777_216) == .xterm256)
    }
}
