import ArgumentParser
import Datasets
import RunModel
import Training

/// `nntop lr-find DATASET [train flags]`: the learning-rate finder, headless. It builds the run
/// `nntop train` would with the same flags, sweeps the rate, prints the sweep and the suggestion,
/// and trains nothing.
struct LRFindCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lr-find",
    abstract: "Sweep the learning rate (as fastai's lr_find) and print the suggested rate.",
    discussion: """
      Takes the dataset and flags of `nntop train` (see `nntop train --help`). The rate rises \
      exponentially from 1e-7 to 10 over at most 100 batches until the smoothed loss passes 4× its \
      best; the suggestion is the rate where the smoothed loss falls fastest. The weights are \
      restored afterwards; nothing is trained or logged.
      """)

  @Argument(parsing: .captureForPassthrough, help: "DATASET and `nntop train` flags.")
  var arguments: [String] = []

  func run() throws {
    let train: TrainCommand
    do {
      train = try TrainCommand.parse(arguments + ["--no-log", "--no-tui"])
    } catch {
      throw fail(TrainCommand.message(for: error), code: 64)
    }
    let (configuration, bundle) = try train.prepare()
    let trainer = Trainer(configuration: configuration, dataset: bundle) { _ in }
    let sweep = trainer.findLearningRate()
    for line in Self.lines(sweep, dataset: bundle.name) { printLine(line) }
  }

  /// The sweep as text: about twenty rows of rate, loss and smoothed loss, then the verdict.
  static func lines(_ sweep: LearningRateSweep, dataset: String) -> [String] {
    var lines = ["lr-find on \(dataset): \(sweep.rates.count) batches, stopped because \(sweep.stop)"]
    lines.append("rate        loss        smoothed")
    let every = max(1, sweep.rates.count / 20)
    for i in sweep.rates.indices where i % every == 0 || i == sweep.rates.count - 1 {
      lines.append(
        pad(ConsoleFormat.significant(sweep.rates[i]), 12)
          + pad(ConsoleFormat.significant(sweep.losses[i]), 12)
          + ConsoleFormat.significant(sweep.smoothed[i]))
    }
    if let suggestion = sweep.suggestion {
      lines.append(
        "suggested learning rate: \(ConsoleFormat.significant(suggestion)) (where the smoothed loss falls fastest)"
      )
    } else {
      lines.append("no suggestion: " + sweep.withoutSuggestion)
    }
    return lines
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(1, width - text.count))
  }
}
