import ArgumentParser

/// nntop: train a neural network in the terminal and watch it learn.
@main
struct NNTop: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nntop",
    abstract: "Train a neural network in the terminal and watch it learn.",
    discussion: """
      Datasets: mnist (the real handwritten digits, from datasets/mnist), and the synthetic sets \
      xor, circles, spiral, gaussians (2-D classification) and sine (1-D regression).
      """ + "\n\n" + ExitStatus.helpText,
    version: "0.1.0",
    subcommands: [
      TrainCommand.self, RerunCommand.self, LRFindCommand.self, EvalCommand.self, ReplayCommand.self,
      WatchCommand.self,
      RunsCommand.self,
      ExportCommand.self, ViewCommand.self,
      ScenariosCommand.self, GradcheckCommand.self, InitStatsCommand.self, BenchCommand.self,
      ThemesCommand.self,
    ]
  )

  /// Parses with negative values joined to their flags (`--tolerance -1` → `--tolerance=-1`).
  static func main() {
    main(NegativeValues.joined(Array(CommandLine.arguments.dropFirst())))
  }
}
