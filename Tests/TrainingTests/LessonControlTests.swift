import Datasets
import Diagnosis
import Foundation
import NeuralNet
import RunModel
import SystemIO
import TestSupport
import Testing
import Training

/// What a teacher does with a lesson, at the trainer: recover a diverged run with the keys the
/// lesson names, start paused, and hold a pace.
@Suite struct LessonControlTests {
  static let mnist = Repository.datasets + "/mnist"

  /// The diverge lesson (ReLU 256-128, lr 3, no momentum) on 12 800 MNIST images, recovered
  /// as the dashboard would: at the divergence `l` three times (3 → 2 → 1 → 0.5), then space.
  /// (At lr 1.3 whether the loss explodes or the network dies at 2.30 depended on the seed and the
  /// machine's BLAS kernels; lr 3 explodes within 3–5 steps for every seed measured.)
  @Test(.enabled(if: FileManager.default.fileExists(atPath: mnist + "/t10k-images-idx3-ubyte.gz")))
  func aDivergedLessonRecoversCleanlyAfterLoweringTheRate() throws {
    let data = try MNIST.load(folder: Self.mnist)
    var config = TrainingConfiguration(
      network: NetworkSpec(inputSize: 784, hiddenSizes: [256, 128], outputSize: 10),
      hyperparameters: Hyperparameters(learningRate: 3, momentum: 0), epochs: 2, threads: 2,
      statisticsEvery: 1, divergencePolicy: .pause)
    config.trainSize = 12_800
    let mailbox = CommandMailbox()
    var events: [RunEvent] = []
    var atDivergence: Finding?
    Trainer(configuration: config, dataset: data, mailbox: mailbox) { event in
      events.append(event)
      if case .diverged = event, atDivergence == nil {
        atDivergence = Diagnosis.top(for: RunHistory(events: events))
        mailbox.post(.set(.learningRate, 2), source: .key("l"))
        mailbox.post(.set(.learningRate, 1), source: .key("l"))
        mailbox.post(.set(.learningRate, 0.5), source: .key("l"))
        mailbox.post(.resume, source: .key("space"))
      }
    }.run()
    let divergences = events.compactMap { if case .diverged(let d) = $0 { d } else { nil } }
    #expect(divergences.count == 1, "\(divergences.map(\.reason))")
    let finding = try #require(atDivergence)
    #expect(finding.action == .turn(.learningRate, up: false), "\(finding.summary())")
    // The climb is on the chart before the guard trips…
    let progress = events.compactMap { if case .progress(let p) = $0 { p } else { nil } }
    let before = progress.filter { $0.step <= divergences[0].step }
    #expect(before.contains { $0.trainLoss > 5 }, "\(before.map(\.trainLoss))")
    // …and nothing after the rollback averages the exploded steps (hundreds) in: the rolled-back
    // weights start a few times above the start and come down.
    let after = progress.filter { $0.step > divergences[0].step }
    #expect(after.allSatisfy { $0.trainLoss < 10 }, "\(after.map { ($0.step, $0.trainLoss) })")
    #expect((after.last?.trainLoss ?? 9) < 0.6)
    let epochs = events.compactMap { if case .epochEnded(let e) = $0 { e } else { nil } }
    #expect(epochs.allSatisfy { $0.trainLoss < 10 }, "\(epochs.map(\.trainLoss))")
    #expect((epochs.last?.validationAccuracy ?? 0) > 0.85)
    let end = Diagnosis.top(for: RunHistory(events: events))
    #expect(end.kind != .diverging && end.kind != .explodingLoss, "\(end.summary())")
  }

  @Test func aRunStartedPausedWaitsForResume() {
    let data = Synthetic.make(.xor, seed: 1)
    var config = configuration(for: data, epochs: 1)
    config.startPaused = true
    config.script = CommandScript([.init(step: 0, command: .resume)])
    let events = train(config, on: data)
    #expect(events.compactMap(\.pausedStep) == [0])
    #expect(events.contains { if case .resumed(0) = $0 { true } else { false } })
    #expect(events.last?.summary?.outcome == .finished)
  }

  /// The pace is a ceiling: 30 steps at 100 steps/s cannot take less than 0.29 s (however slow
  /// the machine, so this holds everywhere); a pace command of 0 lifts it.
  @Test func aPaceHoldsStepsBack() {
    let data = Synthetic.make(.xor, seed: 1)
    var config = configuration(for: data, epochs: 20, batch: 32)
    config.pace = 100
    config.script = CommandScript([.init(step: 30, command: .stop)])
    let clock = Stopwatch()
    let events = train(config, on: data)
    #expect(events.last?.summary?.step == 30)
    #expect(clock.elapsed >= 0.29)
    var lifted = config
    lifted.script = CommandScript([.init(step: 0, command: .pace(0)), .init(step: 300, command: .stop)])
    let fast = Stopwatch()
    #expect(train(lifted, on: data).last?.summary?.step == 300)
    // 300 steps of a tiny network at full speed take well under the 3 s the pace would need.
    #expect(fast.elapsed < 2.9)
  }
}
