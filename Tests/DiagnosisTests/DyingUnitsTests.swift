import Diagnosis
import RunModel
import Testing

/// The dead-relu lesson's first steps as its run log recorded them (lr 0.5, a snapshot every 2
/// steps): the reading must ask for a lower rate while units are dying, not only once most are
/// dead (by then, step ≈ 15, lowering the rate no longer saves them; lowered at step 8 the run
/// reached 96.3 % in two epochs, at step 10 hidden1 stayed 61 % dead).
@Suite struct DyingUnitsTests {
  typealias F = Fixture
  /// (step, hidden1 dead, hidden2 dead, hidden1 upd/w, hidden2 upd/w, output upd/w)
  static let logged: [(Int, Double, Double, Double, Double, Double)] = [
    (1, 0.0, 0.008, 0.027, 0.0225, 0.0532), (3, 0.0, 0.07, 0.0427, 0.0368, 0.0914),
    (5, 0.047, 0.2, 0.0691, 0.085, 0.326), (7, 0.14, 0.24, 0.124, 0.168, 0.354),
    (9, 0.37, 0.64, 0.104, 0.211, 0.238),
  ]

  /// A snapshot at lr 0.1: every layer's updates still over 1e-2, as early in the lesson's run.
  static func afterLowering(_ step: Int, hidden1: Double, hidden2: Double) -> RunEvent {
    F.snapshot(
      step,
      [
        F.layer("hidden1", dead: hidden1, update: 0.02), F.layer("hidden2", dead: hidden2, update: 0.02),
        F.layer("output", dead: 0, update: 0.03),
      ])
  }

  static func events(through step: Int, lr: Double = 0.5) -> [RunEvent] {
    [F.header(lr: lr, momentum: 0.9)]
      + logged.filter { $0.0 <= step }.map { s in
        F.snapshot(
          s.0,
          [
            F.layer("hidden1", dead: s.1, update: s.3), F.layer("hidden2", dead: s.2, update: s.4),
            F.layer("output", dead: 0, update: s.5),
          ])
      }
  }

  @Test func unitsDyingAtAHighRateAskForALowerRateByStep5() {
    #expect(!F.findings(Self.events(through: 3)).contains { $0.kind == .deadUnits })
    // Step 5: 7 % then 20 % in a row — the card's "first ≈ 5 steps".
    #expect(
      F.findings(Self.events(through: 5))[0].line.hasPrefix(
        "units dying: hidden2 dead 0.8 % → 20 % in 4 steps"))
    let top = F.findings(Self.events(through: 7))[0]
    #expect(top.kind == .deadUnits)
    #expect(
      top.line == "units dying: hidden2 dead 0.8 % → 24 % in 6 steps at lr 0.5 → lower the learning rate (l)")
    #expect(top.evidence.contains("(steps 1–7), largest update/weight 0.209"), "\(top.evidence)")
    #expect(F.findings(Self.events(through: 9))[0].verdict == "units dying")
  }

  @Test func onceTheRateIsLoweredTheDyingReadingEnds() {
    let lowered = Self.events(through: 7) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 8)]
    #expect(!F.findings(lowered).contains { $0.verdict == "units dying" })
  }

  @Test func aModestRateOrASteadyDeadFractionIsNotDying() {
    // The same climb at a rate that is not high, with healthy updates: not this rule's business.
    var calm: [RunEvent] = [F.header(lr: 0.05)]
    for (i, dead) in [0.0, 0.07, 0.2, 0.24].enumerated() {
      calm.append(F.snapshot(50 * (i + 1), [F.layer("hidden1", dead: dead), F.layer("output", dead: 0)]))
    }
    #expect(!F.findings(calm).contains { $0.kind == .deadUnits })
    // A high rate with 30 % of a layer dead all along: nothing is dying now.
    let steady =
      [F.header(lr: 0.5)]
      + F.snapshots(count: 4, [F.layer("hidden1", dead: 0.3), F.layer("output", dead: 0)])
    #expect(!F.findings(steady).contains { $0.kind == .deadUnits })
  }

  /// Lowered to 0.1 at step 8 as the reading asked: the update ratios from before the change
  /// (0.1–0.35) kept it asking for a lower rate still, while hidden2 was coming back by itself.
  @Test func aLoweredRateIsNotAskedToGoLowerOnTheUpdatesFromBeforeIt() {
    var events = Self.events(through: 7) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 8)]
    for (step, dead) in [(9, 0.64), (11, 0.70), (13, 0.63), (15, 0.63)] {
      events.append(
        Self.afterLowering(step, hidden1: 0.4, hidden2: dead))
    }
    let findings = F.findings(events)
    #expect(!findings.contains { $0.action == .turn(.learningRate, up: false) }, "\(findings.map(\.line))")
    let dead = findings.first { $0.kind == .deadUnits }
    // Not dying at the lower rate: the rest trains on (units can come back); a new run is the
    // ended run's advice.
    #expect(dead?.line == "dead units: hidden2 63 % dead after lr 0.5 (now 0.1) → keep training")
    let ended = F.findings(events + [F.finished(.stopped, epochs: 0, step: 16)]).first {
      $0.kind == .deadUnits
    }
    #expect(ended?.action == .newRun([RunFlag("--lr", "0.1")]))
  }

  /// Once the lowered rate's own updates fill the window they are still over 1e-2 (lr 0.1 early in
  /// a run), but hidden2 is coming back by itself (70 % → 57 %): no lower rate, no new run yet.
  @Test func unitsComingBackAfterTheRateWasLoweredAreLeftToTrain() {
    var events = Self.events(through: 7) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 8)]
    for (step, dead) in [(9, 0.64), (11, 0.70), (13, 0.63), (15, 0.63), (17, 0.59), (19, 0.57)] {
      events.append(
        Self.afterLowering(step, hidden1: 0.45, hidden2: dead))
    }
    let dead = F.findings(events).first { $0.kind == .deadUnits }
    #expect(
      dead?.line == "dead units: hidden2 57 % dead after lr 0.5 (now 0.1), down from 70 % → keep training")
  }

  /// Still dying at the lowered rate (hidden1 37 % → 47 % after it): a lower rate still, and the
  /// reading says why.
  @Test func unitsStillDyingAfterTheRateWasLoweredAskForLowerStill() {
    var events = Self.events(through: 7) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 8)]
    for (step, dead) in [(9, 0.52), (11, 0.55), (13, 0.58), (15, 0.63)] {
      events.append(
        Self.afterLowering(step, hidden1: dead, hidden2: 0.3))
    }
    let dead = F.findings(events).first { $0.kind == .deadUnits }
    #expect(
      dead?.line
        == "dead units: hidden1 63 % dead after lr 0.5 (now 0.1), still dying → lower the learning rate (l)")
  }

  /// The student's run: lowered at step 8, hidden2 steady near 68 % while hidden1 climbs 37 % →
  /// 48 %: the reading named only hidden2 and said "keep training".
  @Test func aLayerStillDyingBesideASteadyOneIsTheOneNamed() {
    var events = Self.events(through: 7) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 8)]
    for (step, h1, h2) in [(9, 0.36, 0.68), (11, 0.40, 0.70), (13, 0.44, 0.68), (15, 0.48, 0.68)] {
      events.append(Self.afterLowering(step, hidden1: h1, hidden2: h2))
    }
    let dead = F.findings(events).first { $0.kind == .deadUnits }
    #expect(
      dead?.line
        == "dead units: hidden1 48 % dead after lr 0.5 (now 0.1), still dying → lower the learning rate (l)",
      "\(dead?.line ?? "")")
  }

  /// Right after the rate was lowered the medians still hold the early snapshots: the latest
  /// (64 %) is said, with "just lowered", where the reading had been "warming up".
  @Test func justAfterLoweringTheLatestDeadFractionIsSaid() {
    let events =
      Self.events(through: 7) + [
        F.change(.learningRate, from: 0.5, to: 0.1, step: 8),
        Self.afterLowering(9, hidden1: 0.37, hidden2: 0.64),
      ]
    let top = F.findings(events)[0]
    #expect(
      top.line == "dead units: hidden2 64 % dead after lr 0.5 (now 0.1), just lowered → keep training",
      "\(top.line)")
  }

  /// A layer at 93–96 % from snapshot to snapshot reads the same each time (on its median), not
  /// "keep training" and "new run" by turns.
  @Test func aLayerNearlyAllDeadDoesNotFlipBetweenReadings() {
    var events = Self.events(through: 7) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 8)]
    var actions: [Action] = []
    for (i, dead) in [0.93, 0.95, 0.94, 0.96, 0.93, 0.95, 0.94].enumerated() {
      events.append(Self.afterLowering(9 + 2 * i, hidden1: 0.4, hidden2: dead))
      if i >= 4, let found = F.findings(events).first(where: { $0.kind == .deadUnits }) {
        actions.append(found.action)
      }
    }
    #expect(actions.count == 3 && Set(actions.map { "\($0)" }).count == 1, "\(actions)")
  }

  /// A rate set and turned again while paused (no step taken at it) killed nothing: the reading
  /// had said "dead after lr 5" for a 5 pressed past and taken back at once.
  @Test func aRateNoStepWasTakenAtIsNotTheOneThatKilled() {
    var events =
      Self.events(through: 7) + [
        F.change(.learningRate, from: 0.5, to: 5, step: 8),
        F.change(.learningRate, from: 5, to: 0.1, step: 8),
      ]
    for (step, dead) in [(9, 0.64), (11, 0.70), (13, 0.63), (15, 0.63)] {
      events.append(Self.afterLowering(step, hidden1: 0.4, hidden2: dead))
    }
    let dead = F.findings(events).first { $0.kind == .deadUnits }
    #expect(dead?.reason.contains("after lr 0.5 (now 0.1)") == true, "\(dead?.line ?? "")")
  }

  /// Lowered at step 5 as the card says, hidden1 still climbing 5 % → 23 % at the lower rate,
  /// under the dead-units rule's half: the reading had said "warming up" for thirty steps.
  @Test func unitsStillDyingAfterLoweringAreNamedBeforeHalfAreDead() {
    var events = Self.events(through: 5) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 5)]
    for (step, dead) in [(7, 0.05), (9, 0.09), (11, 0.16), (13, 0.23)] {
      events.append(Self.afterLowering(step, hidden1: dead, hidden2: 0.2))
    }
    let top = F.findings(events)[0]
    #expect(
      top.line
        == "units dying: hidden1 dead 5.0 % → 23 % since the rate was lowered to 0.1 → lower the learning rate (l)",
      "\(top.line)")
    // Steady at the lower rate: nothing of the kind.
    var steady = Self.events(through: 5) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 5)]
    for step in [7, 9, 11, 13] { steady.append(Self.afterLowering(step, hidden1: 0.05, hidden2: 0.2)) }
    #expect(!F.findings(steady).contains { $0.verdict == "units dying" })
  }

  /// hidden1 levelled off at 40–46 % after rising from 32 % at the lower rate: one reading, not
  /// "lower the rate" and "keep training" by turns.
  @Test func aLayerLevelledOffAfterRisingDoesNotFlip() {
    var events = Self.events(through: 7) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 8)]
    var actions: [String] = []
    for (i, dead) in [0.32, 0.36, 0.43, 0.40, 0.46, 0.42].enumerated() {
      events.append(Self.afterLowering(9 + 2 * i, hidden1: dead, hidden2: 0.2))
      if i >= 3 { actions.append(F.findings(events).first.map { "\($0.action)" } ?? "") }
    }
    #expect(Set(actions).count == 1, "\(actions)")
  }

  /// The dead-relu lesson with `l` twice at step 7, as the screen showed it (hidden1, hidden2 dead
  /// at each snapshot). Right after the change: what died, "just lowered", not "warming up". Then
  /// hidden1's rise of 30 % → 40 % in the steps after the change levels off at 38–42 %: no
  /// "still dying → lower the learning rate" for the twenty steps it held (it had stood them all).
  @Test func aLayerThatStoppedDyingAfterTheRateCameDownIsNotToldToLowerItAgain() {
    let seen: [(Int, Double, Double)] = [
      (9, 0.30, 0.48), (11, 0.34, 0.50), (13, 0.36, 0.52), (15, 0.38, 0.53), (17, 0.38, 0.52),
      (19, 0.40, 0.50),
      (21, 0.40, 0.47), (23, 0.41, 0.39), (25, 0.38, 0.38), (27, 0.42, 0.34), (29, 0.41, 0.29),
      (31, 0.41, 0.27),
    ]
    var events = Self.events(through: 7) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 7)]
    for (step, hidden1, hidden2) in seen {
      events.append(Self.afterLowering(step, hidden1: hidden1, hidden2: hidden2))
      let top = F.findings(events)[0]
      if step <= 11 {
        #expect(top.kind == .deadUnits && top.action == .keepTraining, "step \(step): \(top.line)")
        #expect(
          top.reason.hasSuffix("dead after lr 0.5 (now 0.1), just lowered"), "step \(step): \(top.line)")
      }
      #expect(top.action != .turn(.learningRate, up: false), "step \(step): \(top.line)")
      // Neither half dead nor dying: still named, beside the reading that waits for the epoch.
      if step >= 23 {
        #expect(
          top.remark?.hasPrefix("hidden1 \(Int((hidden1 * 100).rounded())) % dead: those units") == true,
          "\(top.line)")
      }
    }
  }

  /// `l` twice at step 5, as the card says, and hidden1 still climbs 9 → 27 % (the screen's numbers
  /// at 120×40): "units dying → lower the learning rate" once the climb passes ten points, and it
  /// stays while the layer still climbs, instead of flipping to "warming up" as the window slides.
  @Test func aLayerStillClimbingStaysDying() {
    var events = Self.events(through: 5) + [F.change(.learningRate, from: 0.5, to: 0.1, step: 5)]
    let seen: [(Int, Double, Double)] = [
      (7, 0.09, 0.16), (9, 0.10, 0.14), (11, 0.16, 0.16), (13, 0.172, 0.23), (15, 0.23, 0.25),
      (17, 0.24, 0.24),
      (19, 0.27, 0.24), (21, 0.268, 0.29),
    ]
    for (step, hidden1, hidden2) in seen {
      events.append(Self.afterLowering(step, hidden1: hidden1, hidden2: hidden2))
      guard step >= 15 else { continue }
      let top = F.findings(events)[0]
      #expect(top.verdict == "units dying" && top.reason.hasPrefix("hidden1"), "step \(step): \(top.line)")
    }
  }

  /// The rate lowered at step 8 of a 430-step epoch, the run stopped in the next: the change
  /// barely mixed epoch 1, which is no "changed too late to judge".
  @Test func aChangeInAnEpochsFirstStepsDoesNotMixIt() {
    let events: [RunEvent] =
      [F.header(lr: 0.5), F.change(.learningRate, from: 0.5, to: 0.1, step: 8)]
      + F.snapshots(count: 4, F.healthyLayers) + F.progress(from: 100, losses: [0.5, 0.4, 0.35])
      + [
        F.epoch(1, train: 0.4, val: 0.3, trainAcc: 0.9, valAcc: 0.92),
        F.finished(.stopped, epochs: 1, step: 666),
      ]
    let top = F.findings(events)[0]
    #expect(top.kind != .settling, "\(top.line)")
  }
}
