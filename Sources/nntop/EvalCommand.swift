import ArgumentParser
import Datasets
import NeuralNet
import RunModel
import Training

/// `nntop eval CKPT`: the test accuracy of a saved network.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval", abstract: "Print the test accuracy of a checkpoint.")

  @Argument(help: "A checkpoint (.safetensors) written by nntop train.")
  var checkpoint: String

  @Option(help: "Folder holding datasets/ (or the mnist folder itself); also NNTOP_DATA.")
  var data: String?

  @Option(help: "Split to evaluate: test or validation.")
  var split: String = "test"

  func validate() throws {
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
    let result = Evaluator(network: network).evaluate(target)
    var line = "\(split) loss \(ConsoleFormat.fixed(result.loss, 4))"
    if let accuracy = result.accuracy {
      line = "\(split) accuracy \(ConsoleFormat.percent(accuracy)), " + line
    }
    printLine(
      "\(line) on \(result.examples) \(state.dataset) examples (\(state.network.summary), step \(state.step), "
        + "\(state.epochsCompleted) epochs)")
  }
}
