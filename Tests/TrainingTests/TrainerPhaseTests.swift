import Datasets
import NeuralNet
import RunModel
import TestSupport
import Testing

@testable import Training

/// The trainer's phases and the small types they share.
@Suite struct TrainerPhaseTests {
  @Test func metricWindowAveragesOverRowsAndStepTime() {
    var window = MetricWindow()
    #expect(window.meanLoss == 0 && window.samplesPerSecond == 0)
    #expect(window.accuracy(classifies: true) == nil)
    window.add(lossSum: 6, correct: 3, rows: 4, seconds: 0.5)
    window.add(lossSum: 2, correct: 1, rows: 4, seconds: 0.5)
    #expect(window.meanLoss == 1)
    #expect(window.accuracy(classifies: true) == 0.5)
    #expect(window.accuracy(classifies: false) == nil)
    #expect(window.samplesPerSecond == 8)
  }

  @Test func bestValidationCountsPatienceAndNeverPrefersNaN() {
    var best = BestValidation()
    let verdicts = [
      best.note(loss: 1, accuracy: 0.5, patience: 2), best.note(loss: .nan, accuracy: nil, patience: 2),
      best.note(loss: 2, accuracy: 0.4, patience: 2),
    ]
    #expect(verdicts == [true, true, false])
    #expect(best.loss == 1 && best.accuracy == 0.5)
    var patient = BestValidation()
    let patientVerdicts = [1.0, 2, 3, 4].map { patient.note(loss: $0, accuracy: nil, patience: 0) }
    #expect(patientVerdicts.allSatisfy { $0 })
  }

  /// Under the dashboard's policy a diverged step is reported, rolled back with advice naming
  /// the knob's key from the knob table, and the run waits paused.
  @Test func divergenceUnderThePausePolicyRollsBackThenPauses() throws {
    let sine = Synthetic.make(.sine, seed: 1)
    var config = configuration(for: sine, hidden: [16], epochs: 2, lr: 10)
    config.divergencePolicy = .pause
    let mailbox = CommandMailbox()
    var events: [RunEvent] = []
    Trainer(configuration: config, dataset: sine, mailbox: mailbox) { event in
      events.append(event)
      if case .paused = event { mailbox.post(.stop, source: .command) }
    }.run()
    let index = try #require(events.firstIndex { $0.divergence != nil })
    guard case .warning(let advice) = events[index + 1] else {
      Issue.record("no rollback warning after the divergence")
      return
    }
    #expect(advice.contains("lower the rate (\(Knob.learningRate.key(up: false)))"))
    #expect(events[index + 2].pausedStep == events[index].divergence?.step)
    #expect(events.last?.summary?.outcome == .stopped)
  }

  @Test func scenarioFixesNameTheKnobTablesKeys() throws {
    let overfit = try #require(Scenario.named("overfit"))
    #expect(overfit.fix.contains("L2 (\(Knob.l2.key(up: true)))"))
    #expect(overfit.fix.contains("data (\(Knob.trainSize.key(up: true)))"))
    let slow = try #require(Scenario.named("slow"))
    #expect(slow.fix.contains("(\(Knob.learningRate.key(up: true)))"))
  }
}
