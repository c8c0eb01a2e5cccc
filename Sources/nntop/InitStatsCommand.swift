import ArgumentParser
import Foundation
import NeuralNet
import RunModel
import Training

/// `nntop init-stats`: the lecture's table of activations per layer under three initialisations.
struct InitStatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init-stats",
    abstract:
      "Activation mean and std per layer of a deep network under naive, Xavier and He initialisation.",
    discussion: """
      Feeds standard normal inputs through a stack of equally wide layers (no training) and prints, \
      for each layer, the mean and standard deviation of its activations. With tanh, the naive \
      N(0, 0.01²) weights make the activations shrink towards zero layer by layer; Xavier keeps \
      their spread; He keeps the spread of ReLU layers.
      """)

  @Option(help: "Activation: \(Activation.allCases.map(\.rawValue).joined(separator: ", ")).")
  var activation: String = "tanh"

  @Option(help: "Number of layers.") var layers: Int = 10
  @Option(help: "Width of every layer (and of the input).") var width: Int = 500
  @Option(help: "Random inputs.") var samples: Int = 1000
  @Option(help: "Random seed.") var seed: UInt64 = 0

  func validate() throws {
    guard Activation(rawValue: activation) != nil else {
      throw ValidationError("--activation: unknown '\(activation)'")
    }
    guard (1...50).contains(layers) else {
      throw ValidationError("--layers must be from 1 to 50, got \(layers)")
    }
    guard (1...4096).contains(width) else {
      throw ValidationError("--width must be from 1 to 4096, got \(width)")
    }
    guard (1...10_000).contains(samples) else {
      throw ValidationError("--samples must be from 1 to 10000, got \(samples)")
    }
  }

  func run() throws {
    let kind = Activation(rawValue: activation)!
    let schemes: [Initialization] = [.naive, .xavier, .he]
    let results = schemes.map {
      InitializationExperiment.run(
        initialization: $0, activation: kind, layers: layers, width: width, samples: samples, seed: seed)
    }
    printLine(
      "\(layers) \(activation) layers of \(width) units, \(samples) standard normal inputs: activation mean / std"
    )
    let header = "layer" + schemes.map { pad(" \($0.rawValue)", 24) }.joined()
    printLine(header)
    for l in 0..<layers {
      var line = pad(String(l + 1), 5)
      for r in results {
        line += pad("  " + String(format: "%+.4f", r[l].mean) + " / " + format(r[l].std), 24)
      }
      printLine(line.trimmingCharacters(in: .whitespaces))
    }
  }

  private func pad(_ s: String, _ width: Int) -> String {
    s + String(repeating: " ", count: max(0, width - s.count))
  }

  private func format(_ v: Double) -> String {
    v != 0 && (v < 1e-3 || v >= 1e4) ? String(format: "%.2e", v) : String(format: "%.4f", v)
  }
}
