import Diagnosis
import RunModel
import Testing

/// Once a run has ended no key turns anything: every reading must name what the next run should
/// do, never a key or "keep training".
@Suite struct EndedRunTests {
  typealias F = Fixture

  /// Ten epochs of a healthy run, validation still at its best at the end (as LessonTests').
  static func improvingRun(epochs: Int = 10, validation: [Double]? = nil) -> [RunEvent] {
    let losses = validation ?? [0.15, 0.11, 0.095, 0.088, 0.083, 0.08, 0.078, 0.076, 0.075, 0.074]
    return [F.header()] + F.snapshots(count: 6, F.healthyLayers)
      + F.progress(losses: [0.05, 0.04, 0.03, 0.028, 0.025, 0.023])
      + (0..<epochs).map { i in
        F.epoch(
          i + 1, train: losses[i] - 0.01, val: losses[i], trainAcc: 0.99, valAcc: 0.95 + 0.003 * Double(i))
      }
  }

  @Test func aRunThatEndedStillImprovingIsOfferedTwiceTheEpochs() {
    let live = F.findings(Self.improvingRun())[0]
    #expect(live.kind == .stillImproving)
    #expect(live.action == .keepTraining)
    let ended = F.findings(Self.improvingRun() + [F.finished(epochs: 10)])[0]
    #expect(ended.kind == .stillImproving)
    #expect(ended.action == .newRun([RunFlag("--epochs", "20")]))
    #expect(ended.line.hasSuffix("→ new run with --epochs 20"))
    #expect(ended.remark == nil)
  }

  @Test func aLoggedRunNamesItsFinalCheckpointToGoOnFrom() {
    let events =
      Self.improvingRun() + [
        F.finalCheckpoint("runs/a.final.safetensors", step: 4300), F.finished(epochs: 10),
      ]
    let ended = F.findings(events)[0]
    #expect(ended.remark == "or go on from this run: --resume runs/a.final.safetensors --epochs 20")
  }

  @Test func aRunStoppedEarlyIsOfferedItsPlannedEpochs() {
    let events = Self.improvingRun(epochs: 3) + [F.finished(.stopped, epochs: 3)]
    #expect(F.findings(events)[0].action == .newRun([RunFlag("--epochs", "10")]))
  }

  @Test func aRunStoppedBeforeAnEpochIsTooShortToJudge() {
    let events = [F.header(), F.progress(20, loss: 1.2), F.finished(.stopped, epochs: 0, step: 20)]
    let top = F.findings(events)[0]
    #expect(top.line == "too short to judge: ended before a full epoch → new run with --epochs 10")
  }

  @Test func aGoodFitAtTheEndNeedsNothing() {
    var validation = [0.15, 0.11, 0.095, 0.088, 0.083, 0.08, 0.078, 0.076, 0.074, 0.0745]
    let live = F.findings(Self.improvingRun(validation: validation))[0]
    #expect(live.kind == .goodFit)
    let ended = F.findings(Self.improvingRun(validation: validation) + [F.finished(epochs: 10)])[0]
    #expect(ended.kind == .goodFit)
    #expect(ended.action == .nothingToChange)
    #expect(ended.line.hasSuffix("→ nothing to change"))
    validation[9] = 0.07
    #expect(
      F.findings(Self.improvingRun(validation: validation) + [F.finished(epochs: 10)])[0].kind
        == .stillImproving)
  }

  @Test func aKeyBecomesTheDirectionTheNextRunTakesFromWhereThisOneEnded() {
    var events = OverfitLessonTests.events(epochs: 14)
    #expect(F.findings(events)[0].action == .turn(.l2, up: true))
    // Untouched, from no L2 at all: 1e-3 (`Thresholds.firstL2`), not the ladder's 1e-4, which in
    // the lesson changed nothing.
    let untouched = F.findings(events + [F.finished(epochs: 14, step: 112)])[0]
    #expect(untouched.action == .newRun([RunFlag("--l2", "0.001")]), "\(untouched.line)")
    // Turned after epoch 5: validation bottoms out at epoch 6 and rises under the new L2.
    events.insert(F.change(.l2, from: 0, to: 1e-4, step: 40), at: 6)
    events.append(F.finished(epochs: 14, step: 112))
    let ended = F.findings(events)[0]
    #expect(ended.kind == .overfitting)
    #expect(ended.action == .newRun([RunFlag("--l2", "0.001")]))
    #expect(ended.line.hasSuffix("→ new run with --l2 0.001"))
    #expect(ended.summary(nntopFlags: false).hasSuffix("→ new run with l2 0.001"))
  }

  /// A student cut the overfit lesson's data to a quarter at epoch 12 (on purpose, the wrong way):
  /// the next epochs' 0.429 beat the 0.434 just before, but never the 0.395 the run had reached,
  /// so the cut is left out of the next run and said so (it had read "--train-size 250").
  @Test func aTurnIsJudgedAgainstTheBestTheRunHadReached() {
    var events = OverfitLessonTests.events(epochs: 12)
    events.append(F.change(.trainSize, from: 1_000, to: 250, step: 96))
    for (i, val) in [0.4299, 0.4286, 0.4358, 0.4462, 0.4535, 0.455].enumerated() {
      events.append(
        F.epoch(
          13 + i, train: 0.012 - 0.001 * Double(i), val: val, trainAcc: 1, valAcc: 0.882, step: 98 + 2 * i))
    }
    events.append(F.finished(epochs: 18, step: 108))
    let ended = F.findings(events)[0]
    #expect(!ended.line.contains("--train-size"), "\(ended.line)")
    #expect(ended.line.contains("new run with --l2"), "\(ended.line)")
    #expect(
      (ended.remark ?? "").contains("the next run leaves train size at 1000: 250 works against the gap"),
      "\(ended.remark ?? "")")
  }

  /// The same cut at epoch 2, while validation was still falling from its untrained start: it
  /// "helped" by the best-so-far measure, and a run ending overfitting had been told "new run
  /// with --train-size 500 --l2 0.001". Fewer examples work against the gap: never carried then.
  @Test func aTurnAgainstTheEndingsOwnCureIsNotCarried() {
    var events = Array(OverfitLessonTests.events(epochs: 14))
    events.insert(F.change(.trainSize, from: 1_000, to: 500, step: 16), at: 3)
    events.append(F.finished(epochs: 14, step: 112))
    let ended = F.findings(events)[0]
    #expect(ended.kind == .overfitting)
    #expect(!ended.line.contains("--train-size"), "\(ended.line)")
    #expect(
      (ended.remark ?? "").contains("the next run leaves train size at 1000: 500 works against the gap"),
      "\(ended.remark ?? "")")
  }

  /// A new run starts from the command line: the knobs the student turned go with the advice.
  @Test func theKnobsTurnedDuringTheRunAreCarriedOver() {
    var events = OverfitLessonTests.events(epochs: 14)
    events.append(F.change(.trainSize, from: 1_000, to: 10_000, step: 40))
    events.append(F.change(.l2, from: 0, to: 0.005, step: 50))
    events.append(F.finished(epochs: 14, step: 112))
    let ended = F.findings(events)[0]
    #expect(ended.line.hasSuffix("→ new run with --train-size 10000 --l2 0.05"), "\(ended.line)")
  }

  @Test func aSchedulesMovesAreNotCarriedOver() {
    let scheduled = RunEvent.hyperparameterChanged(
      HyperparameterChange(
        step: 500, epoch: 1.2, knob: .learningRate, oldValue: 0.05, newValue: 0.02, source: .schedule))
    let ended = F.findings(Self.improvingRun() + [scheduled, F.finished(epochs: 10)])[0]
    #expect(ended.action == .newRun([RunFlag("--epochs", "20")]))
    let turned = F.change(.learningRate, from: 0.05, to: 0.1, step: 500)
    let carried = F.findings(Self.improvingRun() + [turned, F.finished(epochs: 10)])[0]
    #expect(carried.action == .newRun([RunFlag("--lr", "0.1"), RunFlag("--epochs", "20")]))
  }

  @Test func aDivergedRunWhoseRateWasLoweredIsOfferedThatRate() {
    let events: [RunEvent] = [
      F.header(lr: 3, momentum: 0), F.progress(2, loss: 2.4, lr: 3), F.diverged(4, reason: "loss is inf"),
      .paused(step: 4), F.change(.learningRate, from: 3, to: 1, step: 4),
      F.change(.learningRate, from: 1, to: 0.5, step: 4),
    ]
    let live = F.findings(events)[0]
    #expect(live.kind == .diverging)
    #expect(live.action == .resume)
    let ended = F.findings(events + [F.finished(.diverged, epochs: 0, step: 4)])[0]
    #expect(ended.action == .newRun([RunFlag("--lr", "0.5")]))
  }

  /// A PyTorch run whose rate a person raised to 0.1, and whose StepLR then decayed it to
  /// 0.003125 by the last record: the next run starts at the rate as set, not the scheduler's
  /// leftover ("new run with lr 0.00313" had been said).
  @Test func aSchedulersLastRateIsNotTheNextRunsRate() {
    guard case .started(var header) = F.header() else { return }
    header.writer = "pytorch"
    var events = Self.improvingRun()
    events[0] = .started(header)
    // Every record after the turn at the rate set, until the scheduler's epochs halve it.
    events = events.map { event in
      guard case .progress(var p) = event, p.step > 60 else { return event }
      p.learningRate = 0.1
      return .progress(p)
    }
    events.insert(F.change(.learningRate, from: 0.05, to: 0.1, step: 60), at: 8)
    events += [F.progress(4_300, loss: 0.02, lr: 0.003125), F.finished(epochs: 10)]
    let ended = F.findings(events)[0]
    #expect(ended.summary(nntopFlags: false).hasSuffix("→ new run with lr 0.1, epochs 20"), "\(ended.line)")
  }

  /// `send lr 0.5` into a OneCycleLR loop lasted one step: the next record's rate is the
  /// scheduler's. The ended run had been told "new run with lr 0.5"; it is left out, and why.
  @Test func aRateTheLoopsSchedulerReplacedAtOnceIsNotCarried() {
    guard case .started(var header) = F.header() else { return }
    header.writer = "pytorch"
    var events = Self.improvingRun()
    events[0] = .started(header)
    events.insert(F.change(.learningRate, from: 0.05, to: 0.5, step: 60), at: 8)
    events.insert(F.progress(70, loss: 0.03, lr: 0.012), at: 9)
    events += [F.finished(epochs: 10)]
    let ended = F.findings(events)[0]
    #expect(ended.summary(nntopFlags: false).hasSuffix("→ new run with epochs 20"), "\(ended.line)")
    #expect(
      ended.remark?.contains(
        "the next run leaves learning rate at 0.05: 0.5 the loop's scheduler replaced it") == true,
      "\(ended.remark ?? "")")
  }

  /// `run.epoch()` without `val_loss`: nothing to compare training with, said so (it had read
  /// "validation at its best, val loss nan → keep training"), and no next run to advise.
  @Test func epochsWithoutValidationSaySo() {
    guard case .started(var header) = F.header() else { return }
    header.writer = "pytorch"
    var events: [RunEvent] = [.started(header)] + F.progress(losses: [0.9, 0.7])
    for e in 1...3 {
      events.append(F.epoch(e, train: 0.8 - 0.1 * Double(e), val: .nan, trainAcc: 0.8, valAcc: nil))
    }
    let live = F.findings(events)[0]
    #expect(
      live.line
        == "no validation loss: epoch 3's validation loss is nan; pass val_loss= to run.epoch(...) → keep training",
      "\(live.line)")
    let ended = F.findings(events + [F.finished(epochs: 3)])[0]
    #expect(ended.verdict == "no validation loss" && ended.action == .nothingToChange, "\(ended.line)")
  }

  @Test func anotherProgramsRunIsNotOfferedNntopsResume() {
    guard case .started(var header) = F.header() else { return }
    header.writer = "pytorch"
    var events = Self.improvingRun()
    events[0] = .started(header)
    events += [F.finalCheckpoint("runs/a.final.safetensors", step: 4300), F.finished(epochs: 10)]
    let ended = F.findings(events)[0]
    #expect(ended.remark == nil)
    #expect(ended.summary(nntopFlags: false).hasSuffix("→ new run with epochs 20"))
  }
}

extension EndedRunTests {
  @Test func aRunThatEndedDivergingIsOfferedATenthOfItsRate() {
    let events: [RunEvent] = [
      F.header(lr: 3, momentum: 0), F.progress(2, loss: 2.4, lr: 3), F.diverged(4, reason: "loss is inf"),
    ]
    #expect(F.findings(events)[0].action == .turn(.learningRate, up: false))
    let ended = F.findings(events + [F.finished(.diverged, epochs: 0, step: 4)])[0]
    #expect(ended.action == .newRun([RunFlag("--lr", "0.3")]))
  }

  /// "gap growing, val loss 1 epoch past its best → new run with --epochs 20": more epochs widen
  /// a gap that validation has stopped closing; the next run takes the variance cure, more data
  /// while there is more (after `E` once in the overfit lesson it had read the settings it ended
  /// at). Still improving, the planned epochs.
  @Test func aGrowingGapPastValidationsBestAsksForNoMoreEpochs() {
    func run(lastVal: Double) -> [RunEvent] {
      [F.header(trainCount: 10_000)]
        + [
          F.epoch(1, train: 0.5, val: 0.5, trainAcc: 0.85, valAcc: 0.85),
          F.epoch(2, train: 0.3, val: 0.35, trainAcc: 0.9, valAcc: 0.89),
          F.epoch(3, train: 0.2, val: 0.30, trainAcc: 0.94, valAcc: 0.91),
          F.epoch(4, train: 0.12, val: lastVal, trainAcc: 0.96, valAcc: 0.91),
          F.finished(epochs: 4),
        ]
    }
    let past = F.findings(run(lastVal: 0.31))[0]
    #expect(past.kind == .growingGap)
    #expect(past.action == .newRun([RunFlag("--train-size", "55000")]), "\(past.line)")
    #expect(past.remark == nil)
    let improving = F.findings(run(lastVal: 0.29))[0]
    #expect(improving.kind == .growingGap)
    #expect(improving.action == .newRun([RunFlag("--epochs", "10")]), "\(improving.line)")
  }
}

/// An ended run carries a person's turn of a knob only when validation got better after it: the
/// vanishing lesson with the rate raised to 0.5 (loss still 2.30) was told to start the next run
/// at 0.5, where Xavier's cure then blew up.
@Suite struct CarriedKnobTests {
  typealias F = Fixture

  /// A healthy run whose rate a person turned at step 100, validation by epoch as given.
  func run(_ validation: [Double], rate: Double) -> [RunEvent] {
    [F.header(), F.change(.learningRate, from: 0.05, to: rate, step: 100)]
      + F.snapshots(count: 6, F.healthyLayers) + F.progress(losses: [0.5, 0.4, 0.35, 0.3, 0.28, 0.27])
      + validation.enumerated().map { i, loss in
        F.epoch(i + 1, train: loss - 0.01, val: loss, trainAcc: 0.9, valAcc: 0.9 + 0.005 * Double(i))
      } + [F.finished(epochs: validation.count)]
  }

  @Test func aTurnAfterWhichValidationImprovedIsCarried() {
    let top = F.findings(run([0.40, 0.30, 0.25], rate: 0.1))[0]
    guard case .newRun(let flags) = top.action else { Issue.record("\(top.line)"); return }
    #expect(flags.contains(RunFlag("--lr", "0.1")), "\(top.line)")
    #expect(top.remark?.contains("did not improve") != true)
  }

  @Test func aTurnAfterWhichValidationStayedAtTheUntrainedLossIsLeftOutAndSaidSo() {
    // Epoch 1 (steps 1–430) holds the turn at step 100: only epochs 2 and 3 judge it, and they
    // sit at the untrained loss.
    let top = F.findings(run([2.31, 2.303, 2.302], rate: 0.5))[0]
    guard case .newRun(let flags) = top.action else { Issue.record("\(top.line)"); return }
    #expect(!flags.contains { $0.name == "--lr" }, "\(top.line)")
    #expect(
      top.remark?.contains("the next run leaves learning rate at 0.05: 0.5 did not improve validation")
        == true)
  }

  /// `W` that made things worse, then `w` ×6 inside the last epoch: the value it ended at is
  /// untested, and carried (it had been "left at 0.05" as "did not improve").
  @Test func aLastTurnNoEpochFollowedIsCarriedWhateverTheFirstDid() {
    let events: [RunEvent] =
      [F.header(l2: 0.05), F.change(.l2, from: 0.05, to: 0.2, step: 100)]
      + F.snapshots(count: 6, F.healthyLayers) + F.progress(losses: [0.9, 0.95, 1.0, 1.0, 0.98, 0.97])
      + [
        F.epoch(1, train: 0.9, val: 0.8, trainAcc: 0.8, valAcc: 0.82),
        F.epoch(2, train: 1.3, val: 1.3, trainAcc: 0.6, valAcc: 0.6),
        F.change(.l2, from: 0.2, to: 0.001, step: 1_280),
        F.epoch(3, train: 1.1, val: 0.9, trainAcc: 0.7, valAcc: 0.75),
        F.finished(epochs: 3),
      ]
    let top = F.findings(events)[0]
    guard case .newRun(let flags) = top.action else {
      Issue.record("\(top.line)")
      return
    }
    #expect(flags.contains(RunFlag("--l2", "0.001")), "\(top.line)")
    #expect(top.remark?.contains("did not improve") != true, "\(top.remark ?? "")")
  }
}

/// A loop that never calls `run.epoch`: 128 steps of 32 an epoch read "step 128 of 32 in epoch
/// 1", and at the end "too short to judge → new run with epochs 4".
@Suite struct EpochsNotLoggedTests {
  typealias F = Fixture

  @Test func stepsPastAnEpochWithNoEpochLoggedAreSaidSo() {
    guard case .started(var header) = F.header(trainCount: 4_096) else { return }
    header.writer = "pytorch"
    header.stepsPerEpoch = 32
    let events: [RunEvent] = [.started(header)] + (1...4).map { F.progress(32 * $0, loss: 1.0 / Double($0)) }
    let live = F.findings(events)[0]
    #expect(live.kind == .epochsNotLogged, "\(live.line)")
    #expect(live.reason == "step 128, past one epoch's 32 steps: the loop never calls run.epoch(...)")
    let ended = F.findings(events + [F.finished(epochs: 0, step: 128)])[0]
    #expect(ended.kind == .epochsNotLogged && ended.action == .nothingToChange, "\(ended.line)")
    // Inside the first epoch it is still warming up.
    #expect(F.findings(Array(events.prefix(2)))[0].kind == .warmingUp)
  }
}
