import Diagnosis
import Foundation
import NeuralNet
import RunModel
import Testing

/// One hand-built history per scenario: the top finding must name the lesson's real cause and
/// the action its real cure, with the numbers that show it.
@Suite struct LessonTests {
  typealias F = Fixture

  /// Nothing that lowers a regulariser, the wrong advice the old reading gave in four lessons.
  func lowersNoRegulariser(_ findings: [Finding]) -> Bool {
    !findings.contains { $0.action == .turn(.l2, up: false) || $0.action == .turn(.dropout, up: false) }
  }

  func overfitEvents() -> [RunEvent] {
    [F.header(hidden: [800, 800], trainCount: 1_000)]
      + F.snapshots(count: 3, F.healthyLayers)
      + F.progress(losses: [0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.006])
      + [
        F.epoch(1, train: 0.60, val: 0.45, trainAcc: 0.82, valAcc: 0.87),
        F.epoch(2, train: 0.25, val: 0.33, trainAcc: 0.93, valAcc: 0.900),
        F.epoch(3, train: 0.10, val: 0.30, trainAcc: 0.97, valAcc: 0.905),
        F.epoch(4, train: 0.04, val: 0.32, trainAcc: 0.99, valAcc: 0.906),
        F.epoch(5, train: 0.015, val: 0.36, trainAcc: 1.00, valAcc: 0.904),
        F.epoch(6, train: 0.006, val: 0.42, trainAcc: 1.00, valAcc: 0.903),
      ]
  }

  @Test func overfitRaisesL2() {
    let top = F.findings(overfitEvents())[0]
    #expect(top.kind == .overfitting)
    #expect(top.action == .turn(.l2, up: true))
    #expect(top.line == "overfitting: val loss up 0.3 → 0.42 while train falls → raise L2 (W)")
    #expect(top.evidence.contains("best 0.3 at epoch 3"))
    #expect(top.evidence.contains("1000 training examples"))
  }

  @Test func overfitWithL2AtItsTopRaisesDropout() {
    var events = overfitEvents()
    events.insert(F.change(.l2, from: 0, to: Knob.l2.ladder[Knob.l2.ladder.count - 1], step: 0), at: 1)
    let top = F.findings(events)[0]
    #expect(top.kind == .overfitting)
    #expect(top.action == .turn(.dropout, up: true))
  }

  func underfitEvents(l2: Double = 0.05) -> [RunEvent] { F.underfitEvents(l2: l2) }

  @Test func underfitWithHeavyL2LowersL2() {
    let top = F.findings(underfitEvents())[0]
    #expect(top.kind == .underfitting(.regularisation))
    #expect(top.line == "underfitting: L2 0.05 holds the weights down → lower L2 (w)")
    #expect(top.evidence.contains("train acc 84 %"))
    #expect(top.evidence.contains("gap -0.001"))
  }

  /// Five presses of `w` after epoch 4: the epoch shown was trained at L2 0.05, so naming 0.001
  /// as what holds the weights down (and asking for more `w`) was false until an epoch at 0.001.
  @Test func underfitJustAfterL2WasLoweredWaitsForAnEpoch() {
    let lowered = underfitEvents() + [F.change(.l2, from: 0.05, to: 0.001, step: 1_725)]
    let top = F.findings(lowered)[0]
    #expect(top.kind == .underfitting(.regularisation))
    #expect(top.action == .keepTraining)
    #expect(
      top.line
        == "underfitting: L2 now 0.001 (from step 1725): the next epoch shows what it did → keep training")
    // An epoch at 0.001 that learns: no longer underfitting.
    let next = lowered + [F.epoch(5, train: 0.25, val: 0.24, trainAcc: 0.93, valAcc: 0.936)]
    #expect(!F.findings(next).contains { $0.kind.isUnderfitting })
  }

  /// The overfit lesson after `E`: the training loss rises on the new examples, which is not a
  /// rate that is too high.
  @Test func aLossThatRoseWithNewDataIsNotARateTooHigh() {
    let before = (0..<12).map { F.progress(8 * ($0 + 1), loss: 0.04 + 0.001 * Double($0 % 2)) }
    let after = (0..<12).map { F.progress(100 + 16 * ($0 + 1), loss: [0.25, 0.2, 0.3, 0.18, 0.28][$0 % 5]) }
    let events =
      [F.header(hidden: [800, 800], trainCount: 1_000)] + before
      + [F.change(.trainSize, from: 1_000, to: 10_000, step: 100)] + Array(after.prefix(5))
    #expect(!F.findings(events).contains { $0.kind == .learningRateTooHigh })
  }

  @Test func underfitWithoutL2AsksForAWiderNetwork() {
    let findings = F.findings(underfitEvents(l2: 0))
    #expect(findings[0].kind == .underfitting(.capacity))
    #expect(findings[0].action == .newRun([RunFlag("--hidden", "128")]))
    #expect(findings[0].line == "underfitting: 8 units in a layer are too few → new run with --hidden 128")
    #expect(lowersNoRegulariser(findings))
  }

  @Test func divergenceAsksForALowerRateUntilItIsLowEnough() {
    let start: [RunEvent] = [F.header(activation: .elu, lr: 5), F.diverged(7), .paused(step: 7)]
    let top = F.findings(start)[0]
    #expect(top.kind == .diverging)
    #expect(top.action == .turn(.learningRate, up: false))
    #expect(top.line == "diverging: loss is nan at step 7 with lr 5 → lower the learning rate (l)")

    // One press (5 → 3) is not enough: 3 is still above SGD's diverging range.
    let once = F.findings(start + [F.change(.learningRate, from: 5, to: 3, step: 7)])[0]
    #expect(once.action == .turn(.learningRate, up: false))

    let lowered = start + [F.change(.learningRate, from: 5, to: 0.05, step: 7)]
    let waiting = F.findings(lowered)[0]
    #expect(waiting.kind == .diverging)
    // The guard paused the run: once the rate is low enough, the step left is to resume it.
    #expect(waiting.action == .resume)
    #expect(waiting.line == "diverged: lr lowered to 0.05 → resume")
  }

  @Test func aRecoveredRunIsNoLongerDiverging() {
    // The first record after the rollback still averages in the exploded steps.
    let events: [RunEvent] =
      [
        F.header(activation: .elu, lr: 5), F.diverged(7), .paused(step: 7),
        F.change(.learningRate, from: 5, to: 0.05, step: 7), .resumed(step: 7),
      ]
      + F.progress(losses: [3.8e22, 0.9, 0.6, 0.5]) + F.snapshots(count: 3, from: 100, F.healthyLayers)
    let history = RunHistory(events: events)
    #expect(history.recoveredFromDivergence)
    let findings = Diagnosis.findings(for: history)
    #expect(!findings.contains { $0.kind == .diverging || $0.kind == .explodingLoss })
    #expect(findings[0].kind == .warmingUp)
    // The polluted record does not make 0.05 part of the diverging range.
    #expect(history.lowestDivergingRate == 5)
  }

  @Test func anExplodingLossWithoutNaNAsksForALowerRate() {
    let events: [RunEvent] = [F.header(lr: 2)] + F.progress(losses: [2.1, 8.5, 1e6])
    let top = F.findings(events)[0]
    #expect(top.kind == .explodingLoss)
    #expect(top.evidence.hasPrefix("train loss 1e+06 at step 150"))
    #expect(top.line == "loss exploding: loss 1e+06, over 3× the initial 2.3 → lower the learning rate (l)")
  }

  @Test func vanishingGradientsAskForReLUWithHeInit() {
    let hidden = (1...8).map { i in
      F.layer("hidden\(i)", dead: 0, gradient: 5e-6 * pow(4, Double(i - 1)), update: 1e-7)
    }
    let layers = hidden + [F.layer("output", dead: 0, gradient: 0.13, update: 1e-3)]
    let events: [RunEvent] =
      [F.header(hidden: Array(repeating: 128, count: 8), activation: .sigmoid, initialization: .naive)]
      + F.snapshots(count: 10, layers)
      + F.progress(losses: [2.3026, 2.302, 2.3015, 2.3012, 2.301, 2.301, 2.301, 2.301, 2.301, 2.301])
      + [
        F.epoch(1, train: 2.302, val: 2.301, trainAcc: 0.112, valAcc: 0.1135),
        F.epoch(2, train: 2.301, val: 2.301, trainAcc: 0.112, valAcc: 0.1135),
      ]
    let findings = F.findings(events)
    let top = findings[0]
    #expect(top.kind == .vanishingGradients)
    #expect(top.action == .newRun([RunFlag("--activation", "relu"), RunFlag("--init", "he")]))
    #expect(
      top.line
        == "vanishing gradients: hidden1 ‖g‖ 5e-06 vs output 0.13 → new run with --activation relu --init he")
    #expect(top.evidence.contains("ratio 3.85e-05, median of the last 5 snapshots"))
    #expect(!findings.contains { $0.kind == .underfitting(.capacity) || $0.kind == .saturatedUnits })
    #expect(lowersNoRegulariser(findings))
    // A last snapshot unlike the others: the decision stays with the medians, the numbers are
    // the ones the Gradients panel shows now.
    let odd =
      hidden.enumerated().map { i, l in i == 0 ? F.layer(l.name, dead: 0, gradient: 7e-6, update: 1e-7) : l }
      + [F.layer("output", dead: 0, gradient: 0.0656, update: 1e-3)]
    let latest = F.findings(events + [F.snapshot(600, odd)])[0]
    #expect(latest.line.hasPrefix("vanishing gradients: hidden1 ‖g‖ 7e-06 vs output 0.0656 → "))
    #expect(latest.evidence.contains("ratio 3.85e-05"))
  }

  /// Tanh keeps a slope of 1 near zero, so with a naive init only the init is wrong: Xavier is the
  /// cure measured on MNIST (97.4 % where naive stays at chance).
  @Test func vanishingTanhWithNaiveInitAsksForXavier() {
    let hidden = (1...8).map { i in
      F.layer("hidden\(i)", dead: 0, gradient: 3e-8 * pow(4, Double(i - 1)), update: 1e-7)
    }
    let layers = hidden + [F.layer("output", dead: 0, gradient: 0.1, update: 1e-3)]
    let events: [RunEvent] =
      [F.header(hidden: Array(repeating: 128, count: 8), activation: .tanh, initialization: .naive)]
      + F.snapshots(count: 10, layers)
      + F.progress(losses: Array(repeating: 2.301, count: 10))
    let top = F.findings(events)[0]
    #expect(top.kind == .vanishingGradients)
    #expect(top.action == .newRun([RunFlag("--init", "xavier")]))
    #expect(top.line.hasSuffix("→ new run with --init xavier"))
  }

  func deadEvents(lr: Double, update: Double, worst: Double = 1.0) -> [RunEvent] {
    let layers = [
      F.layer("hidden1", dead: 0.35, gradient: 0, update: 0),
      F.layer("hidden2", dead: worst, gradient: 0, update: 0),
      F.layer("output", dead: 0, gradient: 0.05, update: update),
    ]
    return [F.header(lr: lr)] + F.snapshots(count: 8, layers)
      + F.progress(losses: Array(repeating: 2.301, count: 8), accuracy: 0.11)
      + [F.epoch(1, train: 2.302, val: 2.301, trainAcc: 0.11, valAcc: 0.11)]
      + [F.epoch(2, train: 2.301, val: 2.301, trainAcc: 0.11, valAcc: 0.11)]
  }

  @Test func deadUnitsAtAHighRateAskForALowerRate() {
    // Dying (80 %): a key press can still save the rest.
    let dying = F.findings(deadEvents(lr: 0.5, update: 3e-2, worst: 0.8))[0]
    #expect(dying.action == .turn(.learningRate, up: false))
    #expect(dying.line == "dead units: hidden2 80 % dead at lr 0.5 → lower the learning rate (l)")
    // Wholly dead: no key brings a dead layer back, only a new run with a lower rate.
    let findings = F.findings(deadEvents(lr: 0.5, update: 3e-2))
    let top = findings[0]
    #expect(top.kind == .deadUnits)
    #expect(top.action == .newRun([RunFlag("--lr", "0.1")]))
    #expect(top.line == "dead units: hidden2 100 % dead at lr 0.5 → new run with --lr 0.1")
    #expect(top.evidence.contains("hidden1 35 %"))
    // At a rate this high leaky ReLU is no cure on its own (it diverged at the lesson's 0.5).
    #expect(
      top.remark
        == "dead units rarely come back; a lower --lr is the cure (leaky-relu alone may still diverge at lr 0.5)"
    )
    // The dead layer explains the vanished gradient and the stuck loss.
    #expect(findings.map(\.kind) == [.deadUnits])
    #expect(lowersNoRegulariser(findings))
  }

  /// The new run's rate is below what the rule calls high (SGD 0.2, Adam 3e-3), not one rung
  /// down: from lr 2 one rung (1) killed every unit again on the spiral set, 0.1 trained.
  @Test func aWhollyDeadLayerAsksForARateBelowTheHighOnes() {
    for (lr, expected) in [(2.0, "0.1"), (0.5, "0.1"), (0.2, "0.1")] {
      let top = F.findings(deadEvents(lr: lr, update: 3e-2))[0]
      #expect(top.action == .newRun([RunFlag("--lr", expected)]), "lr \(lr)")
    }
    // A rate already below the high ones, dead after a divergence or hot updates: one rung down.
    let top = F.findings(deadEvents(lr: 0.1, update: 3e-2))[0]
    #expect(top.action == .newRun([RunFlag("--lr", "0.05")]))
  }

  /// Units killed at lr 0.5 stay dead after the rate is lowered to 0.1: the reading names the
  /// rate that killed them and asks for a new run below it. It used to read "dead at lr 0.1 →
  /// new run with --activation leaky-relu", and a student who kept the lesson's 0.5 with leaky
  /// ReLU saw the run diverge at step 17.
  @Test func unitsKilledBeforeTheRateWasLoweredAskForARunBelowThatRate() {
    let layers = [
      F.layer("hidden1", dead: 0.89, gradient: 0, update: 0),
      F.layer("hidden2", dead: 1.0, gradient: 0, update: 0),
      F.layer("output", dead: 0, gradient: 0.05, update: 6e-4),
    ]
    let events: [RunEvent] =
      [F.header(lr: 0.5)] + F.snapshots(count: 4, layers)
      + [
        F.change(.learningRate, from: 0.5, to: 0.2, step: 50),
        F.change(.learningRate, from: 0.2, to: 0.1, step: 51),
      ]
      + F.snapshots(count: 4, layers) + F.progress(losses: Array(repeating: 2.301, count: 8), accuracy: 0.11)
    let top = F.findings(events)[0]
    #expect(top.kind == .deadUnits)
    #expect(top.action == .newRun([RunFlag("--lr", "0.1")]))
    #expect(top.line == "dead units: hidden2 100 % dead after lr 0.5 (now 0.1) → new run with --lr 0.1")
    // The leaky-ReLU warning is about a run at 0.5, which nobody runs any more.
    #expect(
      top.remark
        == "units killed at lr 0.5 may come back at the lower rate or stay dead (the Activations panel shows "
        + "which); a new run below it avoids them")
    // Never above a modest rate: the activation is to blame, as before.
    let modest = F.findings(deadEvents(lr: 0.05, update: 2e-3))[0]
    #expect(modest.action == .newRun([RunFlag("--activation", "leaky-relu")]))
    #expect(modest.remark?.contains("--activation leaky-relu or a lower --lr") == true)
  }

  @Test func deadUnitsAtAModestRateAskForLeakyReLU() {
    let top = F.findings(deadEvents(lr: 0.05, update: 2e-3))[0]
    #expect(top.kind == .deadUnits)
    #expect(top.action == .newRun([RunFlag("--activation", "leaky-relu")]))
  }

  @Test func aSlowRateAsksForAHigherRate() {
    let layers = [
      F.layer("hidden1", update: 1e-6), F.layer("hidden2", update: 8e-7), F.layer("output", update: 1e-6),
    ]
    let events: [RunEvent] =
      [F.header(lr: 1e-4, momentum: 0)] + F.snapshots(count: 6, layers)
      + F.progress(losses: [2.29, 2.28, 2.27, 2.26, 2.25, 2.24], accuracy: 0.3)
      + [
        F.epoch(1, train: 2.20, val: 2.15, trainAcc: 0.30, valAcc: 0.35),
        F.epoch(2, train: 2.10, val: 2.06, trainAcc: 0.40, valAcc: 0.45),
      ]
    let findings = F.findings(events)
    #expect(findings[0].kind == .learningRateTooLow)
    #expect(findings[0].action == .turn(.learningRate, up: true))
    #expect(
      findings[0].line
        == "learning rate too low: updates ≤ 1e-06 of the weights at lr 0.0001 → raise the learning rate (L)")
    #expect(!findings.contains { $0.kind.isUnderfitting })
    #expect(lowersNoRegulariser(findings))
    // `L` pressed: the ratios measured at 1e-4 are not the new rate's. Until two snapshots at
    // 2e-4, nothing pairs them ("updates ≤ 1e-06 of the weights at lr 0.0002" was false).
    var raised = events + [F.change(.learningRate, from: 1e-4, to: 2e-4, step: 400)]
    #expect(!F.findings(raised).contains { $0.line.contains("at lr 0.0002") })
    let faster = [
      F.layer("hidden1", update: 2e-6), F.layer("hidden2", update: 1.6e-6), F.layer("output", update: 2e-6),
    ]
    raised += [F.snapshot(450, faster), F.snapshot(500, faster)]
    #expect(
      F.findings(raised)[0].line
        == "learning rate too low: updates ≤ 2e-06 of the weights at lr 0.0002 → raise the learning rate (L)")
  }

  static let defaultTrain = [0.30, 0.12, 0.09, 0.07, 0.055, 0.045, 0.038, 0.032, 0.027, 0.023]

  func healthyEvents(train: [Double] = defaultTrain, validation: [Double], accuracy: [Double]) -> [RunEvent] {
    [F.header()] + F.snapshots(count: 6, F.healthyLayers)
      + F.progress(losses: [0.05, 0.04, 0.03, 0.028, 0.025, 0.023])
      + validation.indices.map { i in
        F.epoch(i + 1, train: train[i], val: validation[i], trainAcc: 1 - train[i] / 3, valAcc: accuracy[i])
      }
  }

  static let defaultValidation = [0.15, 0.11, 0.095, 0.088, 0.083, 0.08, 0.078, 0.076, 0.075, 0.074]
  static let defaultAccuracy = [0.955, 0.965, 0.97, 0.972, 0.974, 0.975, 0.976, 0.977, 0.978, 0.979]

  /// The default run: 97.9 % and still improving, training loss falling faster than
  /// validation's. The old reading called it overfitting.
  @Test func theDefaultRunStillImprovingIsNotOverfitting() {
    let events = healthyEvents(validation: Self.defaultValidation, accuracy: Self.defaultAccuracy)
    let findings = F.findings(events)
    #expect(!findings.contains { $0.kind == .overfitting })
    #expect(findings[0].kind == .growingGap)
    #expect(findings[0].action == .keepTraining)
    #expect(
      findings[0].line
        == "gap growing: gap 0.044 → 0.051 over two epochs, validation still improving → keep training")
  }

  @Test func aSteadyGapWhileImprovingIsStillImproving() {
    let train = Self.defaultValidation.map { $0 - 0.01 }
    let findings = F.findings(
      healthyEvents(train: train, validation: Self.defaultValidation, accuracy: Self.defaultAccuracy))
    #expect(findings.map(\.kind) == [.stillImproving])
    #expect(
      findings[0].line.hasPrefix("still improving: validation at its best, val loss 0.074, val acc 98 %"))
  }

  @Test func aValidationLossTickingUpWhileAccuracyClimbsIsAGrowingGap() {
    let validation = [0.15, 0.11, 0.095, 0.088, 0.083, 0.08, 0.072, 0.074, 0.076, 0.078]
    let accuracy = [0.955, 0.965, 0.97, 0.972, 0.974, 0.975, 0.975, 0.977, 0.978, 0.979]
    let findings = F.findings(healthyEvents(validation: validation, accuracy: accuracy))
    #expect(!findings.contains { $0.kind == .overfitting })
    #expect(findings[0].kind == .growingGap)
    #expect(
      findings[0].reason
        == "gap 0.042 → 0.055 over two epochs, val loss 3 epochs past its best, accuracy still improving")
    // Past its best as long as the overfitting rule waits: the cure, not "keep training".
    #expect(findings[0].action == .turn(.l2, up: true), "\(findings[0].line)")
    let oneEpoch = F.findings(
      healthyEvents(validation: Array(validation.prefix(8)), accuracy: Array(accuracy.prefix(8))))
    #expect(oneEpoch[0].kind == .growingGap && oneEpoch[0].action == .keepTraining, "\(oneEpoch[0].line)")
  }

  @Test func theFirstStepsAreWarmingUp() {
    let events: [RunEvent] =
      [F.header()] + F.snapshots(count: 2, F.healthyLayers) + F.progress(losses: [1.2, 0.6])
    let findings = F.findings(events)
    #expect(findings.map(\.kind) == [.warmingUp])
    #expect(findings[0].evidence.hasPrefix("step 100 of 429 in epoch 1"))
  }
}
