import Datasets
import RunModel
import Testing
import Training

@Suite struct ValidationDetailTests {
  @Test func confusionCountsAndMistakesFromPredictions() {
    // Four examples with labels 0, 1, 2, 1 and 2×2 byte "images".
    let store = ExampleStore(features: .bytes(Array(0..<16)), featureCount: 4, labels: [0, 1, 2, 1])
    let split = DataSplit(store: store, indices: [0, 1, 2, 3])
    let detail = ValidationDetail.make(
      step: 9, epoch: 2, classes: 3, predictions: [0, 2, 2, 1], split: split, imageShape: (2, 2))
    #expect(detail.confusion == [1, 0, 0, 0, 1, 1, 0, 0, 1])
    #expect(detail.mistakes == [ValidationDetail.Mistake(label: 1, predicted: 2, pixels: [4, 5, 6, 7])])
    #expect(detail.imageRows == 2 && detail.imageCols == 2)
  }

  @Test func trainingEmitsADetailPerEpochForClassification() {
    let data = Synthetic.make(.spiral, seed: 1)
    let events = train(configuration(for: data, epochs: 2), on: data)
    let details = events.compactMap { event -> ValidationDetail? in
      if case .validationDetail(let d) = event { return d } else { return nil }
    }
    #expect(details.count == 2)
    #expect(details[0].confusion.reduce(0, +) == 500)
    #expect(details[0].classes == 3 && details[0].imageRows == 0)
    let sine = Synthetic.make(.sine, seed: 1)
    #expect(
      !train(configuration(for: sine, epochs: 1, lr: 0.01), on: sine).contains {
        if case .validationDetail = $0 { return true } else { return false }
      })
  }

  @Test func twoDimensionalSetsGetDecisionRegionsEachEpoch() throws {
    let data = Synthetic.make(.circles, seed: 1)
    let events = train(configuration(for: data, epochs: 2), on: data)
    let grids = events.compactMap { event -> DecisionGrid? in
      if case .decisionRegions(let g) = event { return g } else { return nil }
    }
    #expect(grids.count == 2)
    let grid = try #require(grids.last)
    #expect(grid.predictions.count == DecisionGrid.gridColumns * DecisionGrid.gridRows)
    #expect(Set(grid.predictions).isSubset(of: [0, 1]))
    #expect(grid.points.count == 150)
    // Circles: the centre of the plane is the inner disc (class 1), a corner the outer ring's side.
    let centre = (DecisionGrid.gridRows / 2) * DecisionGrid.gridColumns + DecisionGrid.gridColumns / 2
    #expect(grid.predictions[centre] == 1)
    #expect(grid.predictions[0] == 0)
  }
}
