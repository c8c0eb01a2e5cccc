import Diagnosis
import NeuralNet
import RunModel
import Terminal
import TestSupport
import Testing

@testable import Dashboard

/// The diagnosis panel: the top finding with its key, wrapped between words at every size.
@Suite struct DiagnosisPanelTests {
  /// An underfitting run: 8 hidden units under L2 0.05, both losses high and close for 4 epochs.
  static func underfitEvents() -> [RunEvent] {
    var header = RunFixture.header()
    header.network = NetworkSpec(inputSize: 784, hiddenSizes: [8], outputSize: 10)
    header.hyperparameters.l2 = 0.05
    var events: [RunEvent] = [.started(header)]
    for e in 1...4 {
      let train = 0.9 - 0.01 * Double(e)
      events.append(
        .epochEnded(RunFixture.epoch(e, train: train, val: train + 0.02, trainAcc: 0.8, valAcc: 0.8)))
    }
    return events
  }

  /// The rows inside the Diagnosis box.
  static func panelRows(_ frame: Buffer) -> [String] {
    guard let (x, y) = frame.find("┌ Diagnosis") else { return [] }
    let top = Array(frame.lines[y].unicodeScalars)
    guard let right = top[(x + 1)...].firstIndex(of: "┐") else { return [] }
    var rows: [String] = []
    for row in (y + 1)..<frame.lines.count {
      let scalars = Array(frame.lines[row].unicodeScalars)
      guard x < scalars.count, scalars[x] == "│" else { break }
      rows.append(String(String.UnicodeScalarView(scalars[(x + 1)..<right])))
    }
    return rows
  }

  /// High variance right after `E`: "keep training" with its reason, the remark, on screen at
  /// 80×24 (it had been left out for the epoch's numbers, and the reading looked self-contradictory).
  @Test func aWaitingReadingShowsWhyAt80x24() {
    var header = RunFixture.header()
    header.trainCount = 1_000
    var events: [RunEvent] = [.started(header)]
    for e in 1...4 {
      var epoch = RunFixture.epoch(e, train: 0.01, val: 0.5 - 0.01 * Double(e), trainAcc: 1, valAcc: 0.88)
      epoch.step = 8 * e
      events.append(.epochEnded(epoch))
    }
    events.append(
      .hyperparameterChanged(
        HyperparameterChange(
          step: 33, epoch: 4.1, knob: .trainSize, oldValue: 1_000, newValue: 10_000, source: .key("E"))))
    let rows = Self.panelRows(controller(events: events).render(width: 80, height: 24, now: 0))
    let text = rows.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(rows.first?.contains("HIGH VARIANCE → keep training") == true, "\(rows)")
    #expect(text.contains("the next epoch shows what it did"), "\(rows)")
  }

  @Test(arguments: [(80, 24), (100, 30), (120, 40), (200, 60)])
  func underfittingNamesTheL2KeyAndNeverCutsAWord(size: (Int, Int)) {
    let c = controller(events: Self.underfitEvents())
    let finding = Diagnosis.top(for: c.state.history)
    #expect(finding.kind == .underfitting(.regularisation))
    let frame = c.render(width: size.0, height: size.1, now: 0)
    let rows = Self.panelRows(frame)
    #expect(!rows.isEmpty)
    #expect(rows[0].hasPrefix(" UNDERFITTING → lower L2 (w)"), "\(rows)")
    let texts =
      [
        finding.verdict.uppercased() + " → " + finding.action.text(), finding.reason, finding.evidence,
        finding.remark ?? "",
      ]
      + (0...3).map { _ in "epoch 4: train loss 0.86 · val loss 0.88 · acc 80.00% / 80.00%" }
    let words = Set(texts.flatMap { $0.split(separator: " ").map(String.init) })
    for row in rows {
      for word in row.split(separator: " ") {
        #expect(words.contains(String(word)), "cut word '\(word)' at \(size)")
      }
    }
  }

  /// A PyTorch loop's own epoch metrics follow the epoch's numbers, by name.
  @Test func theLoopsOwnMetricsFollowTheEpochLine() {
    var events = Self.underfitEvents()
    guard case .epochEnded(var last) = events.removeLast() else { return }
    last.metrics = ["top5": 0.99, "f1": 0.9123]
    events.append(.epochEnded(last))
    let rows = Self.panelRows(controller(events: events).render(width: 200, height: 60, now: 0))
    #expect(
      rows.contains {
        $0.contains("epoch 4: train loss 0.86 · val loss 0.88 · acc 80.00% / 80.00% · f1 0.912 · top5 0.99")
      },
      "\(rows)")
  }

  /// Once the run has ended no key does anything: the panel names the next run's flag instead,
  /// and the keys' letters are gone.
  @Test(arguments: [(80, 24), (200, 60)])
  func anEndedRunIsToldTheNextRunsFlagNotAKey(size: (Int, Int)) {
    let summary = RunSummary(
      outcome: .finished, step: 1_720, epochs: 4, testLoss: 0.9, testAccuracy: 0.8, bestValidationLoss: 0.88,
      bestValidationAccuracy: 0.8, elapsed: 9)
    let c = controller(events: Self.underfitEvents() + [.finished(summary)])
    let rows = Self.panelRows(c.render(width: size.0, height: size.1, now: 0))
    #expect(rows.first?.hasPrefix(" UNDERFITTING → new run with --l2 0.005") == true, "\(rows)")
    #expect(!rows.joined().contains("(w)"))
  }
}
