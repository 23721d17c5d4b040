import Testing
import TerminalUI
@testable import App

/// Inputs the markdown fuzzer found (docs/FUZZING.md), kept as regression tests.
@Suite(.timeLimit(.minutes(2))) struct MarkdownFuzzFindingTests {
    /// Finding 7: a quote on a 2-column pane drew `│ ` and a letter, 3 columns.
    @Test(arguments: [1, 2, 3, 4, 5])
    func aQuoteFitsEvenTheNarrowestPane(width: Int) {
        let text = "> quoted\n>> nested deeper\n\n> > > > > > > > > > deep"
        for streamed in [1, 7] {
            for line in MarkdownText.lines(text, width: width, streamedIn: streamed) {
                #expect(DisplayWidth.of(line) <= width, "\(line.debugDescription) at width \(width)")
            }
        }
    }
}
