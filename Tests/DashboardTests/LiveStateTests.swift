import Dashboard
import NeuralNet
import RunModel
import Terminal
import TestSupport
import Testing

/// What the live dashboard says about the run must be what the run did: markers name every
/// change a person made, the learning rate is the one in effect, times are training time, and
/// the header follows the train size.
@Suite struct LiveStateTests {
  static func change(_ knob: Knob, _ old: Double, _ new: Double, step: Int, source: ChangeSource = .key("L"))
    -> RunEvent
  {
    .hyperparameterChanged(
      HyperparameterChange(
        step: step, epoch: Double(step) / 430, knob: knob, oldValue: old, newValue: new, source: source))
  }

  static func progress(step: Int, elapsed: Double, learningRate: Double = 0.05) -> RunEvent {
    .progress(
      StepProgress(
        step: step, epoch: Double(step) / 430, trainLoss: 0.5, trainAccuracy: 0.9, learningRate: learningRate,
        samplesPerSecond: 100_000, elapsed: elapsed))
  }

  static func text(_ c: DashboardController, now: Double = 0) -> String {
    c.render(width: 120, height: 40, now: now).lines.joined(separator: "\n")
  }

  /// A step's statistics arrive just before its progress point: the header's step is already
  /// that step (it trailed the reading, which names it, by one).
  @Test func theHeadersStepIncludesTheLatestStatistics() {
    var state = DashboardState()
    for event in RunFixture.events(epochs: 1) { state.apply(event) }
    let before = state.step
    state.apply(.layerStatistics(LayerSnapshot(step: before + 1, epoch: 1.01, layers: state.layers)))
    #expect(state.step == before + 1)
  }

  /// After a divergence's rollback the layer panels still hold the exploded step's statistics:
  /// they say so until the run's next statistics.
  @Test func layerPanelsOfThrownAwayWeightsSaySo() {
    let c = controller(events: RunFixture.events(epochs: 1))
    let step = c.state.layersStep
    c.apply(
      .diverged(
        Divergence(step: step, epoch: 1, reason: "loss 3683 is over 100× its start (2.3)", layer: nil)),
      now: 0)
    c.apply(.paused(step: step), now: 0)
    let frame = c.render(width: 120, height: 40, now: 0)
    #expect(
      frame.lines.joined().components(separatedBy: "before the rollback").count == 3,
      "\(frame.lines.joined(separator: "\n"))")
    c.apply(.resumed(step: step), now: 1)
    c.apply(.layerStatistics(LayerSnapshot(step: step + 1, epoch: 1.01, layers: c.state.layers)), now: 1)
    #expect(c.render(width: 120, height: 40, now: 1).find("before the rollback") == nil)
  }

  @Test func knobsTurnedWhilePausedAreNamedOnThePauseMarker() {
    var events = RunFixture.events(epochs: 1) + [.paused(step: 430)]
    let rates = [0.05, 0.1, 0.2, 0.5, 1, 2, 3]
    for (old, new) in zip(rates, rates.dropFirst()) {
      events.append(Self.change(.learningRate, old, new, step: 430))
    }
    events.append(Self.change(.dropout, 0, 0.05, step: 430, source: .key("D")))
    events.append(.resumed(step: 430))
    let c = controller(events: events)
    #expect(c.state.markers.map(\.label) == ["pause lr↑3 dropout↑0.05"])
    #expect(Self.text(c).contains("pause lr↑3 dropout↑0.05"))
  }

  @Test func changesAtOneStepShareOneMarkerAndADivergenceNamesItsFix() {
    let divergence = Divergence(step: 500, epoch: 500.0 / 430, reason: "loss is nan", layer: nil)
    let c = controller(
      events: RunFixture.events(epochs: 1) + [
        Self.change(.learningRate, 0.05, 0.1, step: 440),
        Self.change(.l2, 0, 1e-5, step: 440, source: .script),
        Self.change(.learningRate, 0.1, 0.05, step: 450, source: .key("l")),
        .diverged(divergence), .paused(step: 500),
        Self.change(.learningRate, 0.05, 0.02, step: 500, source: .key("l")),
      ])
    #expect(c.state.markers.map(\.label) == ["lr↑0.1 l2↑1e-05", "lr↓0.05", "diverged lr↓0.02"])
  }

  @Test func theScheduleMovesTheRateInEffectAndMarksNothing() {
    var header = RunFixture.header(epochs: 20)
    header.hyperparameters.learningRate = 0.1
    header.schedule = .cosine
    let c = controller(events: [
      .started(header), Self.change(.learningRate, 0.1, 0.05, step: 430, source: .schedule),
      Self.progress(step: 480, elapsed: 1, learningRate: 0.05),
      Self.change(.learningRate, 0.1, 0.2, step: 490, source: .key("L")),
    ])
    #expect(c.state.markers.map(\.label) == ["lr↑0.2"])
    let text = Self.text(c)
    #expect(text.contains("learning rate 0.1       l/L"), "the rate in effect: 0.2 × the schedule's 0.5")
    #expect(text.contains("    base·cosine 0.2 "))
    #expect(c.state.message == "lr 0.1 → 0.2 at step 490")
  }

  @Test func pausesAreNotElapsedTimeAndTheEtaFollowsThePace() {
    let c = controller(events: [.started(RunFixture.header(epochs: 10))])
    c.apply(Self.progress(step: 100, elapsed: 2), now: 2)
    c.apply(Self.progress(step: 200, elapsed: 4), now: 4)
    c.apply(.paused(step: 210), now: 4.2)
    // Paused for 20 s: neither the clock nor the ETA moves.
    let paused = Self.text(c, now: 24.2)
    #expect(paused.contains("elapsed 0:04 · ETA 1:22"), "4.2 s trained; 4090 steps left at 0.02 s")
    c.apply(.resumed(step: 210), now: 24.2)
    #expect(Self.text(c, now: 25.2).contains("elapsed 0:05"))
    // Slowed to 2 steps a second: the steps left take 0.5 s each.
    c.view.pace = 2
    #expect(Self.text(c, now: 25.2).contains("ETA 34:05"), "4090 steps at 0.5 s")
  }

  @Test func theHeaderAndTheStepCountFollowTheTrainSize() {
    var events: [RunEvent] = [.started(RunFixture.header(epochs: 3))]
    events.append(Self.progress(step: 430, elapsed: 1))
    let asking = controller(events: events)
    _ = asking.handle(.character("e"))  // 20 000 from epoch 2: 430 + 2 × 157
    #expect(asking.state.totalSteps == 744)
    asking.apply(.epochEnded(RunFixture.epoch(1, train: 0.3, val: 0.3)), now: 0)
    #expect(asking.state.totalSteps == 744, "no jump between the epoch's end and the change")
    events.append(.epochEnded(RunFixture.epoch(1, train: 0.3, val: 0.3)))
    events.append(Self.change(.trainSize, 55_000, 1_000, step: 430, source: .key("e")))
    events.append(Self.progress(step: 438, elapsed: 1))
    let running = controller(events: events)
    #expect(running.state.totalSteps == 430 + 2 * 8)
    #expect(Self.text(running).contains("batch 128 · 1000 train"))
    #expect(Self.text(running).contains("step 438/446"))
    let finished = controller(
      events: events + [
        .epochEnded(
          EpochSummary(
            epoch: 2, step: 438, trainLoss: 0.3, trainAccuracy: 0.9, validationLoss: 0.3,
            validationAccuracy: 0.9,
            learningRate: 0.05, samplesPerSecond: 1, elapsed: 1)),
        Self.progress(step: 446, elapsed: 2),
        .epochEnded(
          EpochSummary(
            epoch: 3, step: 446, trainLoss: 0.3, trainAccuracy: 0.9, validationLoss: 0.3,
            validationAccuracy: 0.9,
            learningRate: 0.05, samplesPerSecond: 1, elapsed: 2)),
        .finished(
          RunSummary(
            outcome: .finished, step: 446, epochs: 3, testLoss: 0.3, testAccuracy: 0.9,
            bestValidationLoss: 0.3,
            bestValidationAccuracy: 0.9, elapsed: 2)),
      ])
    #expect(Self.text(finished).contains("step 446/446"))
  }

  /// `w` five times from 0.05, answered over two steps: the status line counts from where the
  /// first answer started ("l2 0.01 → 0.001", the second step's first, had read as if L2 had
  /// been 0.01).
  @Test func pressesAnsweredOverTwoStepsAreSaidFromTheFirst() {
    let c = controller()
    c.apply(Self.change(.l2, 0, 0.05, step: 1200, source: .command), now: 0)
    for _ in 0..<5 { _ = c.handle(.character("w")) }
    c.apply(Self.change(.l2, 0.05, 0.02, step: 1288, source: .key("w")), now: 0)
    c.apply(Self.change(.l2, 0.02, 0.01, step: 1288, source: .key("w")), now: 0)
    for (old, new) in [(0.01, 0.005), (0.005, 0.002), (0.002, 0.001)] {
      c.apply(Self.change(.l2, old, new, step: 1289, source: .key("w")), now: 0)
    }
    #expect(c.state.message == "l2 0.05 → 0.001 at step 1289")
  }

  @Test func keysAheadOfTheTrainersAnswersKeepThePanelAtTheLatestPress() {
    let c = controller()
    for _ in 0..<3 { _ = c.handle(.character("D")) }
    #expect(c.state.value(of: .dropout) == 0.15)
    // The answer to the first press arrives after the third: the panel stays at the third.
    c.apply(Self.change(.dropout, 0, 0.05, step: 1290, source: .key("D")), now: 0)
    #expect(c.state.value(of: .dropout) == 0.15)
    #expect(c.state.message.hasPrefix("dropout 0.1 → 0.15"))
    c.apply(Self.change(.dropout, 0.05, 0.1, step: 1290, source: .key("D")), now: 0)
    c.apply(Self.change(.dropout, 0.1, 0.15, step: 1290, source: .key("D")), now: 0)
    #expect(c.state.value(of: .dropout) == 0.15)
    // From where dropout stood before the step's first press, not the last rung alone.
    #expect(c.state.message == "dropout 0 → 0.15 at step 1290")
    // The train size: several presses answered by one change at the next epoch.
    _ = c.handle(.character("e"))
    _ = c.handle(.character("e"))
    #expect(c.state.value(of: .trainSize) == 10_000)
    c.apply(Self.change(.trainSize, 55_000, 10_000, step: 1290, source: .key("e")), now: 0)
    #expect(c.state.value(of: .trainSize) == 10_000)
    #expect(c.state.trainSize == 10_000)
  }

  /// A PyTorch run logging progress every 1 000 steps, 200 steps an epoch: only epoch records.
  /// It finished showing "step 0/600 · 0 samples/s" and "train -".
  @Test func epochRecordsMoveTheRunWhereNoProgressRecordDoes() {
    var header = RunFixture.header(epochs: 3)
    header.stepsPerEpoch = 200
    var events: [RunEvent] = [.started(header)]
    for e in 1...3 {
      events.append(
        .epochEnded(
          EpochSummary(
            epoch: e, step: 200 * e, trainLoss: 0.5 / Double(e), trainAccuracy: 0.8 + 0.05 * Double(e),
            validationLoss: 0.6 / Double(e), validationAccuracy: 0.8, learningRate: 0.05,
            samplesPerSecond: 41_000, elapsed: Double(e))))
    }
    events.append(
      .finished(
        RunSummary(
          outcome: .stopped, step: 677, epochs: 3, testLoss: nil, testAccuracy: nil, bestValidationLoss: 0.2,
          bestValidationAccuracy: 0.8, elapsed: 4)))
    let c = controller(events: Array(events.dropLast()))
    #expect(c.state.step == 600)
    #expect(c.state.samplesPerSecond == 41_000)
    #expect(c.state.trainLoss.items.map(\.y) == [0.5, 0.25, 0.5 / 3])
    #expect(c.state.trainAccuracy.items.count == 3)
    #expect(Self.text(c).contains("step 600/600"))
    #expect(!Self.text(c).contains("━ train -"))
    #expect(Self.text(c).contains("waiting for statistics…"))
    // The stop came 77 steps after the last record: the header says where the run ended.
    c.apply(events[events.count - 1], now: 0)
    #expect(c.state.step == 677)
    // Ended without any layer statistics: the panels say so instead of waiting for ever.
    #expect(!Self.text(c).contains("waiting for statistics"))
    #expect(Self.text(c).contains("no layer statistics in this run"))
  }

  /// Where progress records tell of an epoch, its summary adds no training point.
  @Test func epochRecordsAddNoPointBesideProgressRecords() {
    let c = controller(events: RunFixture.events(epochs: 2))
    #expect(c.state.trainLoss.items.count == 8)
  }

  /// A watched run paused at step 12 before its first progress record read "ETA 0:00".
  @Test func noTrainingTimeMeansNoEstimate() {
    let c = controller(events: [.started(RunFixture.header()), .paused(step: 12)])
    #expect(c.state.step == 12)
    #expect(c.state.remaining(now: 0) == nil)
    #expect(!Self.text(c).contains("ETA"))
  }
}
