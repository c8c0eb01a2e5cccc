import ArgumentParser
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

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
      WatchCommand.self, SendCommand.self,
      RunsCommand.self,
      ExportCommand.self, ViewCommand.self,
      ScenariosCommand.self, GradcheckCommand.self, InitStatsCommand.self, BenchCommand.self,
      ThemesCommand.self,
    ]
  )

  /// ArgumentParser's main, with what every command needs around it: descriptors 0–2 open
  /// before anything is opened, negative values joined to their flags (`--tolerance -1` →
  /// `--tolerance=-1`), and a failed write to stdout reported (exit 74) rather than lost.
  static func main() {
    SystemIO.openStandardDescriptors()
    var code: Int32 = 0
    var failure: (any Error)?
    do {
      var command = try parseAsRoot(NegativeValues.joined(Array(CommandLine.arguments.dropFirst())))
      try command.run()
    } catch {
      failure = error
      code = exitCode(for: error).rawValue
    }
    if code == 0, let problem = standardOutputFailure.withLock({ $0 }) {
      printError("nntop: error: cannot write to standard output: \(problem)")
      Glibc.exit(74)
    }
    if let failure { exit(withError: failure) }
  }
}
