import Datasets
import RunModel
import TestSupport
import Testing
import Training

/// Momentum as a live knob: a change reaches the optimiser at the next step and is an event.
@Suite struct MomentumKnobTests {
  @Test func turningMomentumToZeroBeforeTheFirstStepEqualsARunWithoutMomentum() {
    let data = Synthetic.make(.circles, seed: 3)
    var without = configuration(for: data, epochs: 2)
    without.hyperparameters.momentum = 0
    let reference = train(without, on: data).compactMap(\.epochSummary)

    let mailbox = CommandMailbox()
    mailbox.post(.set(.momentum, 0), source: .key("m"))
    var events: [RunEvent] = []
    Trainer(configuration: configuration(for: data, epochs: 2), dataset: data, mailbox: mailbox) {
      events.append($0)
    }.run()
    let changes = events.compactMap(\.change)
    #expect(changes.count == 1)
    #expect(
      changes.first?.knob == .momentum && changes.first?.oldValue == 0.9 && changes.first?.newValue == 0)
    #expect(changes.first?.source == .key("m") && changes.first?.step == 0)
    let turned = events.compactMap(\.epochSummary)
    #expect(turned.map(\.trainLoss) == reference.map(\.trainLoss))
    #expect(turned.map(\.validationLoss) == reference.map(\.validationLoss))
    // And it did change something: the default momentum trains differently.
    let withMomentum = train(configuration(for: data, epochs: 2), on: data).compactMap(\.epochSummary)
    #expect(withMomentum.map(\.trainLoss) != reference.map(\.trainLoss))
  }
}
