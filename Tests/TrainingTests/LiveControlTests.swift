import Datasets
import NeuralNet
import RunModel
import TestSupport
import Testing
import Training

/// The trainer's side of a person at the keys: a press is one rung from the value the trainer
/// holds, and the time spent paused is not training time.
@Suite struct LiveControlTests {
  @Test func turnsStepFromTheTrainersValueOneRungEach() throws {
    let data = Synthetic.make(.xor, seed: 1)
    var config = configuration(for: data, epochs: 1_000, lr: 0.05)
    config.startPaused = true
    config.hyperparameters.dropout = 0.95
    let recorder = EventRecorder()
    let session = TrainingSession()
    session.start(configuration: config, dataset: data) { recorder.record($0) }
    #expect(recorder.wait { $0.contains { $0.pausedStep != nil } })
    let mailbox = session.mailbox
    // Up from the top of the ladder stays; down goes one rung at a time, in order.
    mailbox.post(.turn(.dropout, up: true), source: .key("D"))
    for _ in 0..<3 { mailbox.post(.turn(.dropout, up: false), source: .key("d")) }
    // A value set beyond the old top, then up: still up, never down.
    mailbox.post(.set(.learningRate, 4), source: .script)
    mailbox.post(.turn(.learningRate, up: true), source: .key("L"))
    // Train size presses while an epoch runs: one change, at the next epoch, from the last asked.
    mailbox.post(.turn(.trainSize, up: false), source: .key("e"))
    mailbox.post(.turn(.trainSize, up: false), source: .key("e"))
    mailbox.post(.turn(.trainSize, up: true), source: .key("E"))
    mailbox.post(.resume, source: .command)
    #expect(recorder.wait { $0.compactMap(\.epochSummary).count >= 2 })
    mailbox.post(.stop, source: .command)
    _ = session.waitUntilFinished()
    let changes = recorder.all.compactMap(\.change)
    #expect(
      changes.filter { $0.knob == .dropout }.map { [$0.oldValue, $0.newValue] } == [
        [0.95, 0.9], [0.9, 0.85], [0.85, 0.8],
      ])
    #expect(
      changes.filter { $0.knob == .learningRate }.map { [$0.oldValue, $0.newValue] } == [[0.05, 4], [4, 5]])
    let sizes = changes.filter { $0.knob == .trainSize }
    #expect(sizes.map { [$0.oldValue, $0.newValue] } == [[1_000, 500]])
    #expect(sizes.first?.source == .key("E"))
  }

  @Test func pausesAreNotTrainingTime() throws {
    let data = Synthetic.make(.xor, seed: 1)
    var config = configuration(for: data, epochs: 2)
    config.startPaused = true
    let recorder = EventRecorder()
    let session = TrainingSession()
    let clock = ContinuousClock()
    let started = clock.now
    session.start(configuration: config, dataset: data) { recorder.record($0) }
    #expect(recorder.wait { $0.contains { $0.pausedStep != nil } })
    let pauseSeen = clock.now
    keepsHolding("paused before the first step", for: .milliseconds(600)) {
      recorder.all.compactMap(\.progress).isEmpty
    }
    let paused = pauseSeen.duration(to: clock.now)
    session.mailbox.post(.resume, source: .command)
    let summary = session.waitUntilFinished()
    let wall = started.duration(to: clock.now)
    let seconds = { (d: Duration) in Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
    // The trainer was paused at least as long as the test saw it paused.
    #expect(summary.elapsed <= seconds(wall) - seconds(paused), "wall \(wall), paused \(paused)")
    let last = try #require(recorder.all.compactMap(\.epochSummary).last)
    #expect(last.elapsed <= summary.elapsed)
    #expect(recorder.all.compactMap(\.progress).allSatisfy { $0.elapsed < summary.elapsed })
  }
}
