import ArgumentParser
import Datasets
import NeuralNet
import RunLog
import RunModel
import SystemIO
import Training

/// `nntop eval CKPT`: the test accuracy of a saved network.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval", abstract: "Print the test accuracy of a checkpoint.")

  @Argument(
    help:
      "A checkpoint (.safetensors) written by nntop train, or a weights-only one (tensors and the dataset and network metadata; see docs/run-log.md)."
  )
  var checkpoint: String

  @Option(help: "Folder holding datasets/ (or the mnist folder itself); also NNTOP_DATA.")
  var data: String?

  @Option(help: "Split to evaluate: test or validation.")
  var split: String = "test"

  @Option(
    help: """
      Monte Carlo dropout: also average N forward passes with different dropout masks (at the \
      checkpoint's dropout) and report accuracy and predictive entropy beside weight scaling.
      """)
  var mc: Int?

  @Flag(help: "Print one JSON line (split, examples, loss and accuracy at full precision, step, epochs).")
  var json = false

  func validate() throws {
    if let mc, !(1...1_000).contains(mc) { throw ValidationError("--mc must be from 1 to 1000, got \(mc)") }
    if mc != nil && json { throw ValidationError("--json prints the plain evaluation; leave out --mc") }
    guard ["test", "validation"].contains(split) else {
      throw ValidationError("--split: choose test or validation")
    }
  }

  func run() throws {
    let state = try CheckpointSetup.load(checkpoint)
    guard let choice = DatasetChoice(name: state.dataset) else {
      throw fail("\(checkpoint): trained on an unknown dataset '\(state.dataset)'", code: 65)
    }
    let bundle: DatasetBundle
    do {
      bundle = try choice.load(dataFolder: data, noise: nil, seed: state.seed)
    } catch {
      throw error.exit
    }
    guard bundle.featureCount == state.network.inputSize, bundle.outputCount == state.network.outputSize
    else {
      throw fail("\(checkpoint): the network does not fit \(state.dataset)'s inputs and outputs", code: 65)
    }
    let network = Network(spec: state.network, seed: 0)
    network.parameters.base.update(from: state.parameters, count: network.parameterCount)
    network.runningStats.base.update(from: state.runningStats, count: network.runningStats.count)
    let target = split == "test" ? bundle.test : bundle.validation
    let evaluator = Evaluator(network: network, cores: min(Evaluator.parts, Parallel.cores))
    if let mc {
      guard state.network.loss.reportsAccuracy else {
        throw fail(
          "\(checkpoint): --mc compares class predictions; \(state.dataset) is a regression", code: 64)
      }
      let result = evaluator.monteCarlo(
        target, passes: mc, dropout: state.hyperparameters.dropout)
      for line in Self.monteCarloLines(result, split: split) { printLine(line) }
      return
    }
    let result = evaluator.evaluate(target)
    if json {
      printLine(
        JSONValue.object([
          ("split", .string(split)), ("examples", .integer(result.examples)), ("loss", .number(result.loss)),
          ("accuracy", result.accuracy.map { JSONValue.number($0) } ?? .null),
          ("step", state.weightsOnly ? .null : .integer(state.step)),
          ("epochs", state.weightsOnly ? .null : .integer(state.epochsCompleted)),
        ]).text)
      return
    }
    var line = "\(split) loss \(ConsoleFormat.fixed(result.loss, 4))"
    if let accuracy = result.accuracy {
      line = "\(split) accuracy \(ConsoleFormat.percent(accuracy)), " + line
    }
    // A weights-only file does not say where in training it was.
    let position =
      state.weightsOnly ? "weights only" : "step \(state.step), \(state.epochsCompleted.counted("epoch"))"
    printLine(
      "\(line) on \(result.examples) \(state.dataset) examples (\(state.network.summary), \(position))")
  }

  /// Weight scaling and Monte Carlo averaging side by side.
  static func monteCarloLines(_ r: MonteCarloResult, split: String) -> [String] {
    var lines = [
      "MC dropout on \(r.examples) \(split) examples: \(r.passes) \(r.passes == 1 ? "pass" : "passes") at dropout \(ConsoleFormat.number(r.dropout))",
      "                 accuracy   predictive entropy (nats)",
    ]
    for (name, reading) in [("weight scaling ", r.weightScaling), ("MC averaging   ", r.averaged)] {
      let accuracy = ConsoleFormat.percent(reading.accuracy)
      lines.append(
        "\(name)  \(accuracy)\(String(repeating: " ", count: max(1, 11 - accuracy.count)))"
          + ConsoleFormat.fixed(reading.entropy, 4))
    }
    if r.dropout == 0 {
      lines.append("dropout is 0 in this checkpoint: every pass is the same network, so the two agree")
    }
    return lines
  }
}
