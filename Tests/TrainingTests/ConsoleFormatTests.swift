import RunModel
import SystemIO
import Testing
import Training

@Suite struct ConsoleFormatTests {
  @Test func numbers() {
    #expect(ConsoleFormat.number(0.05) == "0.05")
    #expect(ConsoleFormat.number(0.001) == "0.001")
    #expect(ConsoleFormat.number(1e-5) == "1e-05")
    #expect(ConsoleFormat.number(3) == "3")
    #expect(ConsoleFormat.number(0) == "0")
    #expect(ConsoleFormat.percent(0.97523) == "97.52%")
    #expect(ConsoleFormat.percent(nil) == "-")
    #expect(ConsoleFormat.fixed(.nan, 4) == "nan")
    // A blown-up loss: exponent form, not 23 digits and four decimals.
    #expect(ConsoleFormat.fixed(1.7218873664332651e22, 4) == "1.72e+22")
    #expect(ConsoleFormat.fixed(123.456, 2) == "123.46")
  }

  /// A train size is a count ("→ 10000", not "→ 1e+04"); a damaged log's NaN still prints.
  @Test func aTrainSizeChangeIsWrittenAsACount() {
    func line(_ old: Double, _ new: Double, _ knob: Knob = .trainSize) -> String {
      ConsoleFormat.changeLine(
        HyperparameterChange(step: 184, epoch: 2, knob: knob, oldValue: old, newValue: new, source: .key("E"))
      )
    }
    #expect(line(2_000, 10_000) == "train_size 2000 → 10000 at step 184 (key E)")
    #expect(line(55_000, .nan) == "train_size 55000 → nan at step 184 (key E)")
    #expect(line(0.05, 0.00001, .l2) == "l2 0.05 → 1e-05 at step 184 (key E)")
  }

  /// Counts take their noun's plural except for one.
  @Test func countedNouns() {
    #expect(1.counted("epoch") == "1 epoch")
    #expect(0.counted("epoch") == "0 epochs")
    #expect(3.counted("thread") == "3 threads")
    #expect(CheckpointReason.periodic(epochs: 1).description == "every 1 epoch")
    #expect(CheckpointReason.periodic(epochs: 2).description == "every 2 epochs")
  }

  @Test func epochLine() {
    let line = ConsoleFormat.epochLine(
      EpochSummary(
        epoch: 3, step: 1290, trainLoss: 0.07041, trainAccuracy: 0.97863, validationLoss: 0.08889,
        validationAccuracy: 0.9732, learningRate: 0.05, samplesPerSecond: 123_456.4, elapsed: 2.44),
      of: 10)
    #expect(
      line
        == "epoch  3/10  train loss 0.0704 acc 97.86%  val loss 0.0889 acc 97.32%  lr 0.05  123456 samples/s  2.4s"
    )
    let paced = ConsoleFormat.epochLine(
      EpochSummary(
        epoch: 3, step: 1290, trainLoss: 0.07041, trainAccuracy: 0.97863, validationLoss: 0.08889,
        validationAccuracy: 0.9732, learningRate: 0.05, samplesPerSecond: 74_562, elapsed: 43.9),
      of: 10, pacedRate: 12_794.2)
    #expect(paced.hasSuffix("lr 0.05  12794 samples/s paced  43.9s"))
  }

  /// Settings a run can have are never printed alike (one digit below 1e-3 had made 1e-4 and
  /// 1.25e-4 both "1e-04").
  @Test func hyperparametersKeepTheirDigits() {
    let cases: [(Double, String)] = [
      (0.05, "0.05"), (0.001, "0.001"), (0.000125, "0.000125"), (0.00025, "0.00025"), (1.25e-4, "0.000125"),
      (1e-5, "1e-05"), (0.00125, "0.00125"), (3, "3"), (0, "0"), (Double(Float(0.05)), "0.05"),
    ]
    for (value, text) in cases { #expect(ConsoleFormat.number(value) == text, "\(value)") }
  }

  @Test func finalLine() {
    let line = ConsoleFormat.finalLine(
      RunSummary(
        outcome: .finished, step: 1720, epochs: 4, testLoss: 0.0846, testAccuracy: 0.9752,
        bestValidationLoss: 0.0889, bestValidationAccuracy: 0.976, elapsed: 3.21))
    #expect(line == "finished after 4 epochs (1720 steps, 3.2s): test loss 0.0846 acc 97.52%")
  }
}
