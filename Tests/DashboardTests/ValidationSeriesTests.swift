import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

/// The charts' validation series: the whole validation set at each epoch's end is "val" (the value
/// the diagnosis and the epoch lines report); the quick looks on a subset inside an epoch are
/// their own series, named by their size; without colour, every series keeps its own glyph.
@Suite struct ValidationSeriesTests {
  /// Three epochs, then a quick look on 1 000 examples a quarter into the fourth.
  static func midEpoch() -> [RunEvent] {
    RunFixture.events() + [
      .evaluation(
        Evaluation(step: 1_397, epoch: 3.25, split: .validation, loss: 0.5, accuracy: 0.875, examples: 1_000))
    ]
  }

  /// The Loss panel's legend row at 100×30 (the panel's first inside row), between the borders.
  static func legend(_ frame: Buffer, panel: Int = 0) -> String {
    let row = frame.line(3)
    let cells = Array(row.unicodeScalars)
    let half = frame.width / 2
    let start = panel == 0 ? 1 : half + 1
    var text = String(String.UnicodeScalarView(cells[start..<(start + half - 2)]))
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }

  @Test func valIsTheFullValidationEverywhereOnScreen() {
    let frame = controller(events: Self.midEpoch()).render(width: 100, height: 30, now: 0)
    // The epoch-3 full validation (1.1 / 3.5), as the diagnosis's epoch line says; the subset's
    // 0.5 is shown under its own name.
    #expect(Self.legend(frame) == "━ train 0.286  ┅ val 0.314  · 1k val 0.5")
    #expect(frame.find("val loss 0.314") != nil)
    #expect(frame.find("val 0.5") == nil || frame.find("1k val 0.5") != nil)
    #expect(Self.legend(frame, panel: 1) == "━ train 92.86%  ┅ val 94.00%  · 1k val 87.50%")
  }

  @Test func narrowLegendsDropValuesBeforeNames() {
    // At 80×24 a chart is 38 columns inside: the spacing tightens, the subset's name shortens and
    // the values lose a decimal before any value goes, and a name never does.
    let frame = controller(events: Self.midEpoch()).render(width: 80, height: 24, now: 0)
    #expect(
      frame.line(3) == "│━ train 0.286 ┅ val 0.314 · 1k val 0.5││━ train 92.9% ┅ val 94.0% · 1k 87.5%  │")
  }

  @Test func fullValidationIsOnlyAtEpochEndsAndTheSubsetOnlyInside() {
    let state = controller(events: Self.midEpoch()).state
    #expect(state.validationLoss.items.map(\.x) == [1, 2, 3])
    #expect(
      state.quickValidationLoss.items.map(\.x) == [0.25, 0.5, 0.75, 1.25, 1.5, 1.75, 2.25, 2.5, 2.75, 3.25])
    #expect(state.quickValidationExamples == 1_000)
  }

  @Test func withoutColourTheSeriesKeepTheirGlyphs() {
    let plain = controller(events: Self.midEpoch(), theme: .plain).render(width: 100, height: 30, now: 0)
    #expect(Self.legend(plain) == "━ train 0.286  ┅ val 0.314  · 1k val 0.5")
    // ASCII: each series is drawn with its own mark, and the legend shows it.
    let ascii = controller(events: Self.midEpoch(), glyphs: .ascii, theme: .plain)
      .render(width: 100, height: 30, now: 0)
    #expect(Self.legend(ascii) == "* train 0.286  o val 0.314  . 1k val 0.5")
    let plot = (4..<11).map { ascii.line($0) }.map { String($0.unicodeScalars.prefix(49)) }.joined()
    for mark in ["*", "o", "."] { #expect(plot.contains(mark), "no \(mark) in the loss plot") }
  }
}
