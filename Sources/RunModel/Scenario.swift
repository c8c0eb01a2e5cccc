import NeuralNet

/// A run set up to show one lesson on MNIST: what to watch for, which key (or flag) fixes it,
/// and the pace at which the dashboard shows it (so it lasts long enough to act on). Each setting
/// and fix was chosen from measured runs (docs/diagnosis.md, the lessons' tests in
/// Tests/nntopTests/LessonTests.swift).
public struct Scenario: Sendable {
  public let name: String
  public let watchFor: String
  public let fix: String
  public let hidden: [Int]
  public let activation: Activation
  public let initialization: Initialization?
  public let learningRate: Double
  public let momentum: Double
  public let l2: Double
  public let epochs: Int
  public let trainSize: Int?
  /// Steps per second on the dashboard (nil: full speed); headless runs ignore it.
  public let pace: Double?
  /// Layer statistics every N steps (nil: the default), finer where the lesson happens in few steps.
  public let statisticsEvery: Int?

  /// A knob's key as the fix text shows it, "(W)": from the knob table, so the lesson names the
  /// key the dashboard binds.
  private static func key(_ knob: Knob, up: Bool) -> String { "(\(knob.key(up: up)))" }

  public static let all: [Scenario] = [
    Scenario(
      name: "overfit",
      watchFor:
        "800-800 units on 1 000 examples: validation loss bottoms out near epoch 6, then rises while training loss falls",
      fix: "raise L2 \(key(.l2, up: true)) and the validation loss stops rising; only more data "
        + "\(key(.trainSize, up: true)) closes the gap",
      hidden: [800, 800], activation: .relu, initialization: nil, learningRate: 0.05, momentum: 0.9, l2: 0,
      epochs: 30, trainSize: 1_000, pace: 4, statisticsEvery: nil),
    Scenario(
      name: "underfit", watchFor: "L2 0.05 holds a 256-128 network at ≈ 85 %: both losses high and close",
      fix: "lower L2 \(key(.l2, up: false)) four or five times (to ≈ 1e-3) and accuracy climbs to ≈ 97 % "
        + "(training ≈ 98 %) by the tenth epoch",
      hidden: [256, 128], activation: .relu, initialization: nil, learningRate: 0.05, momentum: 0.9, l2: 0.05,
      // 100 steps a second, ≈ 4 s an epoch: at 200 a student missed the reading's two seconds.
      epochs: 10, trainSize: nil, pace: 100, statisticsEvery: nil),
    Scenario(
      name: "diverge",
      watchFor:
        "learning rate 3 without momentum: the loss climbs for a few steps, explodes, and the guard rolls "
        + "back and pauses",
      fix:
        "lower the learning rate \(key(.learningRate, up: false)) three times (to 0.5), then resume (space); "
        + "once it learns, > speeds it up from 1 step a second",
      hidden: [256, 128], activation: .relu, initialization: nil, learningRate: 3, momentum: 0, l2: 0,
      epochs: 10, trainSize: nil, pace: 1, statisticsEvery: 1),
    Scenario(
      name: "vanishing",
      watchFor:
        "8 tanh layers with a naive N(0, 0.01²) init: activations collapse towards 0 layer by layer "
        + "(Activations: σ ≈ 10× smaller each layer, 0.09 in hidden1 to 1e-5 in hidden5) and the early "
        + "layers' gradients vanish (Gradients: hidden1's ‖g‖ ≈ 3e-8, the output's 0.1); only the output "
        + "layer learns, and the loss stays at 2.30",
      fix: "initialisation is the cure: run again with --init xavier (≈ 97 % in 10 epochs)",
      hidden: Array(repeating: 128, count: 8), activation: .tanh, initialization: .naive, learningRate: 0.05,
      momentum: 0.9, l2: 0, epochs: 10, trainSize: nil, pace: 200, statisticsEvery: nil),
    Scenario(
      name: "dead-relu",
      watchFor:
        "learning rate 0.5 with momentum 0.9 (steps ≈ 10× the rate: the diverge lesson's 0.5 has none): "
        + "units start dying within a few steps and the loss jumps while they do "
        + "(≈ 11 near step 12); the dead fraction passes 80 % by step ≈ 20, and at 100 % the loss sits at 2.30",
      fix:
        "lower the learning rate \(key(.learningRate, up: false)) twice as soon as the reading says units are "
        + "dying (≈ step 5), before step ≈ 8, to keep most units alive (> then speeds it up); later the rest "
        + "trains on, and units already dead mostly stay dead (a new run with --lr 0.1)",
      hidden: [256, 128], activation: .relu, initialization: nil, learningRate: 0.5, momentum: 0.9, l2: 0,
      // One step every two seconds: at one a second, a student who waited for the reading's "units
      // dying" (step 4–5) pressed `l` by step 7–8, and hidden1 ended 42 % dead; the card had said
      // "dead units do not come back" where the screen showed hidden2 95 % → 59 %.
      epochs: 10, trainSize: nil, pace: 0.5, statisticsEvery: 2),
    Scenario(
      name: "slow", watchFor: "a learning rate of 1e-4 without momentum: the loss creeps down",
      fix: "raise the learning rate \(key(.learningRate, up: true)) six to eight times (to 0.01–0.05)",
      // 200 steps a second (43 s for the lesson): at full speed it was over in 14 s, before the
      // creeping loss could be pointed at or the key pressed.
      hidden: [256, 128], activation: .relu, initialization: nil, learningRate: 1e-4, momentum: 0, l2: 0,
      epochs: 20, trainSize: nil, pace: 200, statisticsEvery: nil),
  ]

  public static func named(_ name: String) -> Scenario? { all.first { $0.name == name } }
}
