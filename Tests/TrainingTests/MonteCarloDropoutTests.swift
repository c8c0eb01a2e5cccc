import Datasets
import Foundation
import NeuralNet
import Testing
import Training

/// Monte Carlo dropout against a hand computation on a network small enough to do by hand.
@Suite struct MonteCarloDropoutTests {
  /// x = 1 → one linear hidden unit (w 1, b 0) → two logits (w [1, −1], b 0). With dropout 0.5 the
  /// hidden unit is 0 (dropped) or 2 (kept, scaled by 1/0.5); without a mask it is 1.
  static func tinyNetwork() -> (Network, DataSplit) {
    let spec = NetworkSpec(
      inputSize: 1, hiddenSizes: [1], outputSize: 2, activation: .linear, loss: .softmaxCrossEntropy)
    let network = Network(spec: spec, seed: 0)
    network.parameters.fill(0)
    let hidden = network.layers[0]
    let output = network.layers[1]
    network.parameters.base[hidden.weights] = 1
    network.parameters.base[output.weights] = 1
    network.parameters.base[output.weights + 1] = -1
    let store = ExampleStore(features: .floats([1]), featureCount: 1, labels: [0])
    return (network, DataSplit(store: store, indices: [0]))
  }

  static func softmax(_ logits: [Double]) -> [Double] {
    let e = logits.map { Foundation.exp($0) }
    return e.map { $0 / e.reduce(0, +) }
  }

  @Test func averagingMatchesTheTwoMasksByHand() throws {
    let (network, split) = Self.tinyNetwork()
    let passes = 40
    let (plain, averaged, spread) = Evaluator(network: network).monteCarloProbabilities(
      split, passes: passes, dropout: 0.5)
    // Weight scaling: the hidden unit is 1, logits [1, −1].
    let scaled = Self.softmax([1, -1])
    #expect(abs(plain[0][0] - scaled[0]) < 1e-6 && abs(plain[0][1] - scaled[1]) < 1e-6)
    // Each pass is one of two networks: dropped (logits 0, 0) or kept (logits 2, −2). The average
    // of 40 passes is k/40 of one and the rest of the other, for a whole k.
    let dropped = Self.softmax([0, 0])
    let kept = Self.softmax([2, -2])
    let share = (averaged[0][0] - dropped[0]) / (kept[0] - dropped[0])
    let k = (share * Double(passes)).rounded()
    #expect(abs(share * Double(passes) - k) < 1e-4, "share \(share)")
    #expect(k > 5 && k < 35, "a fair mask kept the unit \(k) times of 40")
    #expect(abs(averaged[0][1] - (k / 40 * kept[1] + (1 - k / 40) * dropped[1])) < 1e-6)
    // The spread of two values taken k and 40 − k times: √(q(1 − q))·|kept − dropped|, q = k/40.
    let q = k / Double(passes)
    for c in 0..<2 {
      let expected = (q * (1 - q)).squareRoot() * abs(kept[c] - dropped[c])
      #expect(abs(spread[0][c] - expected) < 1e-6, "class \(c): \(spread[0][c]) vs \(expected)")
    }
  }

  @Test func withoutDropoutMonteCarloIsThePlainPass() {
    let data = Synthetic.make(.spiral, seed: 4)
    let trainer = Trainer(configuration: configuration(for: data, epochs: 2), dataset: data) { _ in }
    trainer.run()
    let evaluator = Evaluator(network: trainer.network)
    let (plain, averaged, spread) = evaluator.monteCarloProbabilities(data.test, passes: 7, dropout: 0)
    #expect(plain == averaged)
    #expect(spread.allSatisfy { $0.allSatisfy { $0 == 0 } })
    let result = evaluator.monteCarlo(data.test, passes: 7, dropout: 0)
    #expect(result.weightScaling == result.averaged)
    #expect(result.weightScaling.accuracy == evaluator.evaluate(data.test).accuracy)
  }
}

/// An evaluator that splits each chunk among cores reports exactly what one core reports.
@Suite struct EvaluatorCoresTests {
  @Test(arguments: [2, 3])
  func severalCoresEvaluateTheSameAsOne(cores: Int) {
    let data = Synthetic.make(.spiral, seed: 5)
    let trainer = Trainer(configuration: configuration(for: data, epochs: 2), dataset: data) { _ in }
    trainer.run()
    let one = Evaluator(network: trainer.network)
    let many = Evaluator(network: trainer.network, cores: cores)
    for split in [data.train, data.validation, data.test] {
      let a = one.evaluate(split)
      let b = many.evaluate(split)
      #expect(a.loss == b.loss && a.accuracy == b.accuracy && a.examples == b.examples)
      #expect(a.examples > Evaluator.chunk || split.count <= Evaluator.chunk)
    }
    var first: [Int] = []
    var second: [Int] = []
    _ = one.evaluate(data.test, predictions: &first)
    _ = many.evaluate(data.test, predictions: &second)
    #expect(first == second && !first.isEmpty)
  }
}
