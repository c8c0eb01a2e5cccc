import Datasets
import NeuralNet
import RunModel
import Testing
import Training

@Suite struct TrainSizeTests {
  @Test func changingTheTrainSizeTakesEffectAtTheNextEpochAndIsAnEvent() throws {
    let data = Synthetic.make(.gaussians, seed: 1)
    var config = configuration(for: data, epochs: 3)
    config.trainSize = 200
    let mailbox = CommandMailbox()
    mailbox.post(.set(.trainSize, 500), source: .key("E"))
    var events: [RunEvent] = []
    Trainer(configuration: config, dataset: data, mailbox: mailbox) { events.append($0) }.run()
    guard case .started(let header)? = events.first else { throw TrainSizeError.noHeader }
    #expect(header.trainCount == 200 && header.trainAvailable == 1_000)
    let steps = events.compactMap(\.epochSummary).map(\.step)
    #expect(steps == [7, 7 + 16, 7 + 32])  // 200 then 500 examples in batches of 32
    let change = try #require(events.compactMap(\.change).first)
    #expect(
      change.knob == .trainSize && change.oldValue == 200 && change.newValue == 500
        && change.source == .key("E"))
    #expect(change.step == 7)
  }

  enum TrainSizeError: Error { case noHeader }
}
