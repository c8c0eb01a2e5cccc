import Datasets
import NeuralNet
import RunModel
import TestSupport
import Testing
import Training

/// The sine view: the curve is the network's own output at its inputs.
@Suite struct LearnedCurveTests {
  @Test func theCurveIsTheNetworksOutputAtThosePoints() throws {
    let data = Synthetic.make(.sine, seed: 1)
    var curves: [LearnedCurve] = []
    let run = Trainer(configuration: configuration(for: data, epochs: 3, lr: 0.01), dataset: data) {
      if case .learnedCurve(let c) = $0 { curves.append(c) }
    }
    run.run()
    #expect(curves.count == 3)
    let last = try #require(curves.last)
    #expect(last.xs.count == LearnedCurve.samples && last.spread.allSatisfy { $0 == 0 })
    #expect(last.pointsX.count == LearnedCurve.pointLimit)
    // The same inputs through the trained network by hand, one forward pass.
    let ws = Workspace(network: run.network, capacity: last.xs.count)
    for (i, x) in last.xs.enumerated() { ws.input.base[i] = Float(x) }
    ws.rows = last.xs.count
    run.network.forward(ws, training: false)
    let out = ws.outputs[run.network.layers.count - 1].base
    for i in last.xs.indices { #expect(last.mean[i] == Double(out[i]), "x \(last.xs[i])") }
  }

  @Test func withDropoutTheCurveHasASpread() throws {
    let data = Synthetic.make(.sine, seed: 1)
    var config = configuration(for: data, epochs: 2, lr: 0.01)
    config.hyperparameters.dropout = 0.2
    let curve = try #require(
      train(config, on: data).compactMap { if case .learnedCurve(let c) = $0 { c } else { nil } }.last)
    #expect(curve.spread.allSatisfy { $0 >= 0 } && curve.spread.contains { $0 > 0 })
  }

  @Test func classificationSetsHaveNoCurve() {
    let data = Synthetic.make(.circles, seed: 1)
    #expect(
      !train(configuration(for: data, epochs: 1), on: data).contains {
        if case .learnedCurve = $0 { true } else { false }
      })
  }
}
