import Dashboard
import Foundation
import NeuralNet
import RunModel
import Terminal
import TestSupport
import Testing
import Training

@testable import RunLog  // RunLogReader.parseLine: reading one changed line, not the whole log
@testable import nntop  // ConsoleReporter: the headless replay's lines

/// Every field of the first record of each type in real logs set to NaN, ±∞, huge, negative and
/// wrong-typed values: reading, the headless replay and the dashboard take each without a trap.
/// Fixed seed and bounded work: each field gets three of the hostile values, and a sample of the
/// damaged logs is also rendered (80×24, and 120×40 with each panel zoomed in turn).
@Suite struct DamagedLogFuzzTests {
  static let valuesPerField = 3
  static let renderedPerLog = 30

  @Test func singleFieldMutationsReplayHeadlessAndRenderWithoutATrap() throws {
    var rng = SeededGenerator(seed: 13)
    var replayed = 0
    var rendered = 0
    var refused = 0
    for source in try LogMutation.sources() {
      let cache = try source.lines.map { line in try RecordDecoder.decode(Substring(line)) }
      let targets = try source.targets()
      for (index, target) in targets.enumerated() {
        let render = Int(rng.next() % UInt64(targets.count)) < Self.renderedPerLog
        for _ in 0..<Self.valuesPerField {
          let value = LogMutation.hostile[Int(rng.next() % UInt64(LogMutation.hostile.count))]
          let line = try source.replacing(line: target.line, path: target.path, with: value)
          var contents = RunLogReader.parse([])
          for (number, decoded) in cache.enumerated() {
            if number == target.line {
              RunLogReader.parseLine(ArraySlice(line.utf8), number: number + 1, into: &contents)
            } else {
              contents.records.append(decoded.record)
              if let context = decoded.context { contents.context = context }
            }
          }
          refused += contents.skipped.count
          Self.replayHeadless(contents)
          replayed += 1
          if render {
            Self.render(contents, zoom: index + rendered)
            rendered += 1
          }
        }
      }
    }
    #expect(replayed > 1_500 && rendered > 200)
    #expect(refused > 300)
  }

  /// A warning and a checkpoint path carrying escape sequences are drawn without them.
  @Test func controlCharactersNeverReachTheScreen() {
    let evil = "\u{1B}]0;PWNED\u{07}\u{1B}[2J\u{9B}31m"
    let controller = DashboardController(view: ViewOptions(themes: [.builtIn], glyphs: .unicode))
    for event in RunFixture.events() + [.warning(evil)] { controller.apply(event, now: 0) }
    let frame = controller.render(width: 120, height: 40, now: 0)
    let text = (0..<frame.height).map { frame.line($0) }.joined()
    #expect(text.contains("?]0;PWNED??[2J?31m"))
    #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
  }

  /// What `nntop replay --no-tui` does with the records, its output collected.
  static func replayHeadless(_ contents: RunLogContents) {
    let reporter = ConsoleReporter(line: { _ in }, warning: { _ in })
    for event in contents.events { reporter.handle(event) }
  }

  /// The dashboard after the replay, at 80×24 and 120×40, with one panel zoomed.
  static func render(_ contents: RunLogContents, zoom: Int) {
    let player = ReplayPlayer(events: contents.records, speed: .infinity)
    let controller = DashboardController(
      view: ViewOptions(themes: [.builtIn], glyphs: .unicode), replay: player)
    _ = controller.tick(now: 0)
    _ = controller.tick(now: 1e6)
    _ = controller.render(width: 80, height: 24, now: 1e6)
    let panels = [nil] + Panel.allCases.map(Optional.some)
    controller.view.zoom = panels[zoom % panels.count]
    _ = controller.render(width: 120, height: 40, now: 1e6)
  }
}
