import NeuralNet
import RunModel

/// A run set up to show one lesson on MNIST within about two minutes on two cores: what to watch
/// for and which key (or flag) fixes it.
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

  /// A knob's key as the fix text shows it, "(W)": from the knob table, so the lesson names the
  /// key the dashboard binds.
  private static func key(_ knob: Knob, up: Bool) -> String { "(\(knob.key(up: up)))" }

  public static let all: [Scenario] = [
    Scenario(
      name: "overfit", watchFor: "validation loss turns up while training loss keeps falling",
      fix: "raise L2 \(key(.l2, up: true)) or dropout \(key(.dropout, up: true)) and watch the gap close",
      hidden: [800, 800], activation: .relu,
      initialization: nil, learningRate: 0.05, momentum: 0.9, l2: 0, epochs: 60, trainSize: 1_000),
    Scenario(
      name: "underfit", watchFor: "both losses stay high and close together (heavy L2, 8 hidden units)",
      fix: "lower L2 \(key(.l2, up: false)); a bigger network needs a new run (--hidden)", hidden: [8],
      activation: .relu,
      initialization: nil, learningRate: 0.05, momentum: 0.9, l2: 0.05, epochs: 20, trainSize: nil),
    Scenario(
      name: "diverge", watchFor: "the loss explodes within a few steps; the divergence guard pauses",
      fix: "lower the learning rate \(key(.learningRate, up: false)), then resume (space)",
      hidden: [256, 128], activation: .elu,
      initialization: nil, learningRate: 5, momentum: 0.9, l2: 0, epochs: 10, trainSize: nil),
    Scenario(
      name: "vanishing",
      watchFor:
        "8 sigmoid layers, naive init: early layers' gradients vanish (Gradients), activations saturate",
      fix: "initialisation is the cure: run again with --init xavier",
      hidden: Array(repeating: 128, count: 8),
      activation: .sigmoid, initialization: .naive, learningRate: 0.05, momentum: 0.9, l2: 0, epochs: 10,
      trainSize: nil),
    Scenario(
      name: "dead-relu", watchFor: "a learning rate of 0.5: the dead-unit fraction climbs towards 100 %",
      fix: "lower the learning rate \(key(.learningRate, up: false)) early; dead units rarely come back",
      hidden: [256, 128],
      activation: .relu,
      initialization: nil, learningRate: 0.5, momentum: 0.9, l2: 0, epochs: 10, trainSize: nil),
    Scenario(
      name: "slow", watchFor: "a learning rate of 1e-4 without momentum: the loss creeps down",
      fix: "raise the learning rate \(key(.learningRate, up: true)) a few times", hidden: [256, 128],
      activation: .relu,
      initialization: nil,
      learningRate: 1e-4, momentum: 0, l2: 0, epochs: 20, trainSize: nil),
  ]

  public static func named(_ name: String) -> Scenario? { all.first { $0.name == name } }
}
