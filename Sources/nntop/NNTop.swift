import ArgumentParser
import NeuralNet
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
    useBetterBLASKernels()
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

  /// Starts again with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to generic kernels on a
  /// CPU that runs better ones (see `BLASKernels`); a user's own setting is kept.
  static func useBetterBLASKernels() {
    let chosen = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
    guard
      let better = BLASKernels.better(
        current: BLASKernels.current, flags: BLASKernels.cpuFlags(), userChoice: chosen)
    else { return }
    setenv("OPENBLAS_CORETYPE", better, 1)
    let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", arguments)
    // Not started again (no /proc): go on with the kernels OpenBLAS chose.
  }
}
