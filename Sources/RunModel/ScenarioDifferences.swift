import NeuralNet

extension Scenario {
  /// The settings of a run that are not this lesson's, in flag words ("init xavier"): flags
  /// given with `--scenario` override the lesson, and its card then describes a run other than
  /// the one on screen (`--scenario vanishing --init xavier` showed "a naive N(0, 0.01²) init"
  /// over a run that trained to 97 %). Knobs turned during the run are not differences: the
  /// lesson asks for them.
  public func differences(
    network: NetworkSpec, optimizer: OptimizerKind, start: Hyperparameters, epochs: Int, trainCount: Int?
  ) -> [String] {
    var found: [String] = []
    func note(_ differs: Bool, _ text: @autoclosure () -> String) { if differs { found.append(text()) } }
    note(
      network.hiddenSizes != hidden, "hidden " + network.hiddenSizes.map(String.init).joined(separator: ","))
    note(network.activation != activation, "activation \(network.activation.rawValue)")
    note(
      network.initialization != (initialization ?? .suited(to: activation)),
      "init \(network.initialization.rawValue)")
    note(network.batchNorm, "batch norm")
    note(optimizer != .sgd, "optimizer \(optimizer.rawValue)")
    note(start.learningRate != learningRate, "lr \(Self.number(start.learningRate))")
    note(start.momentum != momentum, "momentum \(Self.number(start.momentum))")
    note(start.dropout != 0, "dropout \(Self.number(start.dropout))")
    note(start.l2 != l2, "l2 \(Self.number(start.l2))")
    note(epochs != self.epochs, "epochs \(epochs)")
    if let trainSize, let trainCount { note(trainCount != trainSize, "train size \(trainCount)") }
    return found
  }

  /// "this run differs from the lesson: init xavier, lr 0.1", or nil when it does not.
  public func differenceNote(
    network: NetworkSpec, optimizer: OptimizerKind, start: Hyperparameters, epochs: Int, trainCount: Int?
  ) -> String? {
    let list = differences(
      network: network, optimizer: optimizer, start: start, epochs: epochs, trainCount: trainCount)
    return list.isEmpty ? nil : "this run differs from the lesson: " + list.joined(separator: ", ")
  }

  /// The shortest text that reads back as the value, as a flag is typed ("0.005", "1e-05").
  static func number(_ value: Double) -> String {
    var text = "\(value)"
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
  }
}
