import ArgumentParser
import Foundation
import NeuralNet
import RunModel
import SystemIO
import Training

/// `nntop gradcheck`: backprop against finite differences for every activation and loss.
struct GradcheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gradcheck",
    abstract: "Check backpropagation against numerical gradients, layer by layer.",
    discussion: """
      Builds a small network (4-6-5-3) for every activation, plus batch norm, dropout and the \
      binary cross-entropy and squared-error outputs, and prints the largest relative error between \
      the backpropagated and the central-difference gradient of each layer. Exits 0 only when every \
      layer is within the tolerance.
      """)

  @Option(help: "Largest acceptable relative error.")
  var tolerance: Double = 1e-2

  @Option(help: "Seed of the networks and inputs.")
  var seed: UInt64 = 7

  func validate() throws {
    guard tolerance > 0 && tolerance < 1 else {
      throw ValidationError("--tolerance must be in (0, 1), got \(tolerance)")
    }
  }

  /// The networks checked: a name, a shape and a dropout rate.
  static func cases() -> [(name: String, spec: NetworkSpec, dropout: Float)] {
    var list: [(String, NetworkSpec, Float)] = Activation.allCases.map { activation in
      (
        activation.rawValue,
        NetworkSpec(inputSize: 4, hiddenSizes: [6, 5], outputSize: 3, activation: activation), 0
      )
    }
    list.append(
      (
        "tanh+batchnorm",
        NetworkSpec(inputSize: 4, hiddenSizes: [6, 5], outputSize: 3, activation: .tanh, batchNorm: true), 0
      ))
    list.append(
      (
        "relu+batchnorm",
        NetworkSpec(inputSize: 4, hiddenSizes: [6, 5], outputSize: 3, activation: .relu, batchNorm: true), 0
      ))
    list.append(
      ("relu+dropout", NetworkSpec(inputSize: 4, hiddenSizes: [6, 5], outputSize: 3, activation: .relu), 0.3))
    list.append(
      (
        "sigmoid+bce",
        NetworkSpec(
          inputSize: 4, hiddenSizes: [6], outputSize: 1, activation: .sigmoid,
          loss: .sigmoidBinaryCrossEntropy), 0
      ))
    list.append(
      (
        "elu+mse",
        NetworkSpec(inputSize: 4, hiddenSizes: [6], outputSize: 2, activation: .elu, loss: .squaredError), 0
      ))
    return list
  }

  func run() throws {
    printLine("gradcheck: central differences (ε = 0.01), 8 examples, tolerance \(tolerance)")
    printLine(pad("network", 16) + pad("layer", 9) + pad("max rel. error", 16) + pad("checked", 9) + "result")
    var failures = 0
    for item in Self.cases() {
      let results = GradientCheck.run(spec: item.spec, dropout: item.dropout, seed: seed)
      for r in results {
        let ok = r.maxRelativeError <= tolerance && r.checked > 0
        if !ok { failures += 1 }
        let checked = "\(r.checked)" + (r.skippedAtKinks > 0 ? "+\(r.skippedAtKinks)k" : "")
        printLine(
          pad(item.name, 16) + pad(r.layer, 9) + pad(scientific(r.maxRelativeError), 16) + pad(checked, 9)
            + (ok ? "ok" : "FAIL"))
      }
    }
    if failures > 0 {
      throw fail(
        "gradcheck: \(failures.counted("layer")) above tolerance \(tolerance)", code: 1)
    }
    printLine("all layers within tolerance (k: parameters skipped where a step crosses a ReLU kink)")
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(1, width - text.count))
  }

  private func scientific(_ value: Double) -> String {
    value == 0 ? "0" : String(format: "%.2e", value)
  }
}
