import Datasets
import NeuralNet
import RunModel
import TestSupport
import Testing

@testable import Training

/// Drives a run on its queue from the test's thread, as the dashboard will.
@Suite struct SessionTests {
  @Test func commandsFromAnotherThreadPauseStepChangeAndStop() throws {
    let data = Synthetic.make(.spiral, seed: 1)
    let recorder = EventRecorder()
    let session = TrainingSession()
    session.start(configuration: configuration(for: data, epochs: 10_000, statsEvery: 1), dataset: data) {
      recorder.record($0)
    }
    #expect(recorder.wait { $0.contains { $0.progress != nil } })
    session.mailbox.post(.pause, source: .command)
    #expect(recorder.wait { $0.contains { $0.pausedStep != nil } })
    let pausedAt = try #require(recorder.all.compactMap(\.pausedStep).first)
    // Paused: no step happens.
    keepsHolding("no step while paused at \(pausedAt)", for: .milliseconds(200)) {
      recorder.all.compactMap(\.progress).last!.step == pausedAt
    }
    // One step, exactly.
    session.mailbox.post(.singleStep, source: .command)
    #expect(recorder.wait { $0.compactMap(\.progress).last!.step == pausedAt + 1 })
    keepsHolding("no further step after the single step", for: .milliseconds(100)) {
      recorder.all.compactMap(\.progress).last!.step == pausedAt + 1
    }
    // Knobs change between steps, are clamped, and each change is an event with its source.
    session.mailbox.post(.set(.learningRate, 0.2), source: .key("L"))
    session.mailbox.post(.set(.dropout, 2), source: .key("D"))
    session.mailbox.post(.set(.l2, 1e-4), source: .command)
    session.mailbox.post(.resume, source: .command)
    #expect(recorder.wait { $0.compactMap(\.change).count == 3 })
    let changes = recorder.all.compactMap(\.change)
    #expect(changes.map(\.knob) == [.learningRate, .dropout, .l2])
    #expect(changes[0].oldValue == 0.05 && changes[0].newValue == 0.2 && changes[0].source == .key("L"))
    #expect(changes[1].newValue == Knob.dropout.range.upperBound)
    #expect(changes.allSatisfy { $0.step == pausedAt + 1 })
    #expect(recorder.wait { $0.compactMap(\.progress).last!.step > pausedAt + 5 })
    #expect(recorder.wait { events in events.compactMap(\.progress).last!.learningRate == 0.2 })
    session.mailbox.post(.stop, source: .command)
    let summary = session.waitUntilFinished()
    #expect(summary.outcome == .stopped)
    #expect(recorder.all.last?.summary?.outcome == .stopped)
  }

  @Test func aRollbackClearsOnlyMomentumThereWas() {
    #expect(
      Trainer.rollbackMessage(safeStep: 0, optimizer: .sgd, momentum: 0)
        == "weights of step 0 restored: lower the rate (l), then space")
    #expect(
      Trainer.rollbackMessage(safeStep: 8, optimizer: .sgd, momentum: 0.9)
        == "weights of step 8 restored, momentum cleared: lower the rate (l), then space")
    #expect(
      Trainer.rollbackMessage(safeStep: 8, optimizer: .adam, momentum: 0.9)
        .hasPrefix("weights of step 8 restored, Adam's moment estimates cleared: "))
  }

  @Test func divergenceCanPauseInsteadOfStopping() throws {
    let sine = Synthetic.make(.sine, seed: 1)
    var config = configuration(for: sine, epochs: 1_000, lr: 10)
    config.divergencePolicy = .pause
    let recorder = EventRecorder()
    let session = TrainingSession()
    session.start(configuration: config, dataset: sine) { recorder.record($0) }
    #expect(recorder.wait { $0.contains { $0.pausedStep != nil } })
    let events = recorder.all
    let divergence = try #require(events.compactMap(\.divergence).first)
    #expect(events.compactMap(\.pausedStep).first == divergence.step)
    #expect(
      events.contains {
        if case .warning(let w) = $0 {
          w.hasPrefix("weights of step ") && w.contains(" restored, momentum cleared: ")
        } else {
          false
        }
      })
    // The lesson: lower the learning rate and resume, and training recovers.
    session.mailbox.post(.set(.learningRate, 0.01), source: .command)
    session.mailbox.post(.resume, source: .command)
    #expect(recorder.wait { $0.compactMap(\.epochSummary).count >= 3 })
    let after = recorder.all
    #expect(after.compactMap(\.divergence).count == 1)
    #expect(after.compactMap(\.epochSummary).last.map { $0.trainLoss.isFinite && $0.trainLoss < 1 } == true)
    session.mailbox.post(.stop, source: .command)
    #expect(session.waitUntilFinished().outcome == .stopped)
  }
}
