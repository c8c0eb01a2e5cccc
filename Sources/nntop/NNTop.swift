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

      Exit codes: 0 ok, 1 training diverged, 64 bad usage, 65 bad data, 66 missing input, 130 interrupted.
      """,
    version: "0.1.0",
    subcommands: [
      TrainCommand.self, RerunCommand.self, LRFindCommand.self, EvalCommand.self, ReplayCommand.self,
      WatchCommand.self, SendCommand.self,
      RunsCommand.self,
      ExportCommand.self, ViewCommand.self,
      ScenariosCommand.self, GradcheckCommand.self, InitStatsCommand.self, BenchCommand.self,
      ThemesCommand.self,
    ]
  )
}
