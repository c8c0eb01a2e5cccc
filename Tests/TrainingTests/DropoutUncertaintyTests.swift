import Datasets
import Foundation
import NeuralNet
import RunModel
import TestSupport
import Testing
import Training

/// The Monte Carlo dropout view: which examples it picks, what it says about them, and when a
/// run publishes it.
@Suite struct DropoutUncertaintyTests {
  /// Fifteen examples of three classes: example i's averaged prediction puts i/20 on class 0 and
  /// splits the rest, so later examples are surer of class 0 until they are not.
  static func probabilities() -> (plain: [[Double]], averaged: [[Double]], spread: [[Double]], labels: [Int])
  {
    let averaged = (0..<15).map { i -> [Double] in
      let p0 = Double(i) / 15
      return [p0, (1 - p0) * 0.75, (1 - p0) * 0.25]
    }
    let plain = averaged.map { p in p.map { $0 == p.max() ? 1.0 : 0.0 } }
    let spread = averaged.map { p in p.map { $0 * 0.1 } }
    return (plain, averaged, spread, (0..<15).map { $0 % 3 })
  }

  static func entropy(_ p: [Double]) -> Double {
    -p.reduce(0) { $0 + ($1 > 0 ? $1 * Foundation.log($1) : 0) }
  }

  @Test func theMostUncertainComeFirstWithTheirSpread() throws {
    let (plain, averaged, spread, labels) = Self.probabilities()
    let u = DropoutUncertainty.summarize(
      plain: plain, averaged: averaged, spread: spread, labels: labels, pixels: { [UInt8($0)] })
    let expectedOrder = averaged.indices.sorted { Self.entropy(averaged[$0]) > Self.entropy(averaged[$1]) }
      .prefix(DropoutUncertainty.exampleLimit)
    #expect(u.examples.map { Int($0.pixels[0]) } == Array(expectedOrder))
    let first = try #require(u.examples.first)
    let i = expectedOrder.first!
    #expect(first.mean == averaged[i] && first.spread == spread[i] && first.label == labels[i])
    #expect(abs(first.entropy - Self.entropy(averaged[i])) < 1e-12)
    // Accuracy by hand: the average picks class 1 for p0 < 3/7 (i ≤ 6), then class 0.
    let averagedCorrect = (0..<15).filter { i in (i <= 6 ? 1 : 0) == labels[i] }.count
    #expect(u.averagedAccuracy == Double(averagedCorrect) / 15)
    #expect(u.weightScalingEntropy == 0)
    let meanEntropy = averaged.map(Self.entropy).reduce(0, +) / 15
    #expect(abs(u.averagedEntropy - meanEntropy) < 1e-12)
    #expect(u.examined == 15 && u.classes == 3)
  }

  @Test func aDropoutRunPublishesTheViewEveryEpochAndAPlainRunDoesNot() throws {
    let data = Synthetic.make(.spiral, seed: 3)
    var config = configuration(for: data, hidden: [32], epochs: 2)
    config.hyperparameters.dropout = 0.2
    let views = train(config, on: data).compactMap {
      if case .dropoutUncertainty(let u) = $0 { u } else { nil }
    }
    #expect(views.map(\.epoch) == [1, 2])
    let last = try #require(views.last)
    #expect(last.examined == min(DropoutUncertainty.examinedLimit, data.validation.count))
    #expect(last.dropout == 0.2 && last.passes == DropoutUncertainty.passes)
    #expect(last.examples.count == DropoutUncertainty.exampleLimit)
    let entropies = last.examples.map(\.entropy)
    #expect(entropies == entropies.sorted(by: >))
    for example in last.examples {
      #expect(abs(example.mean.reduce(0, +) - 1) < 1e-9)
      #expect(example.spread.allSatisfy { $0 >= 0 && $0 <= 0.5 })
      #expect(example.spread.contains { $0 > 0 }, "fresh masks must disagree somewhere")
    }
    let plane = try #require(last.plane)
    #expect(plane.entropy.count == DecisionGrid.gridColumns * DecisionGrid.gridRows)
    #expect(plane.entropy.contains { $0 > 0 })
    config.hyperparameters.dropout = 0
    #expect(!train(config, on: data).contains { if case .dropoutUncertainty = $0 { true } else { false } })
  }
}
