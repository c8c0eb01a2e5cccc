import Foundation
import TestSupport
import Testing

@Suite struct CommandLineTests {
  @Test func helpDocumentsEveryTrainingFlagWithItsDefault() throws {
    let run = try Run.nntop(["train", "--help"])
    #expect(run.status == 0)
    let text = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    for flag in [
      "--hidden", "--activation", "--init", "--batch-norm", "--optimizer", "--lr", "--momentum", "--batch",
      "--epochs",
      "--dropout", "--l2", "--schedule", "--early-stop", "--seed", "--train-size", "--noise", "--threads",
      "--stats-every", "--data", "--no-tui",
    ] {
      #expect(text.contains(flag), "help lacks \(flag)")
    }
    // Enumerated flags list their values, from the types they parse into.
    #expect(
      text.contains(
        "Hidden activation (default: relu). (values: sigmoid, tanh, relu, leaky-relu, elu, linear)"))
    #expect(text.contains("Optimiser (default: sgd). (values: sgd, adam)"))
    #expect(text.contains("(values: mnist, xor, circles, spiral, gaussians, sine)"))
    #expect(text.contains("Dropout probability after each hidden layer, in [0, 0.95]."))
    #expect(text.contains("SGD momentum, in [0, 0.999] (default: 0.9)."))
    #expect(text.contains("(default: 256,128 for mnist, 32,32 for synthetic sets)"))
    #expect(text.contains("(default: 0.05 for sgd, 0.01 for sgd on sine, 0.001 for adam)"))
  }

  @Test(arguments: [
    // Ranges of knobs are the knob table's: what a key could set.
    (["train", "mnist", "--lr=-1"], "--lr must be in [1e-06, 10], got -1.0"),
    (["train", "mnist", "--lr", "0"], "--lr must be in [1e-06, 10], got 0.0"),
    (["train", "mnist", "--hidden", "256,x"], "'--hidden <hidden>': 'x' is not a layer width"),
    (["train", "imagenet"], "The value 'imagenet' is invalid for '<dataset>'"),
    (
      ["train", "xor", "--activation", "swish"],
      "The value 'swish' is invalid for '--activation <activation>'"
    ),
    (["train", "xor", "--optimizer", "rmsprop"], "Please provide one of 'sgd' and 'adam'"),
    (["train", "xor", "--dropout", "1.5"], "--dropout must be in [0, 0.95], got 1.5"),
    (["train", "xor", "--schedule", "linear"], "The value 'linear' is invalid for '--schedule <schedule>'"),
    (["train", "xor", "--l2", "2"], "--l2 must be in [0, 1], got 2.0"),
    (["train", "xor", "--batch", "0"], "--batch must be from 1 to 65536, got 0"),
    (["train", "xor", "--epochs", "ten"], "--epochs"),
    (["train", "xor", "--bogus"], "Unknown option '--bogus'"),
  ])
  func badFlagValuesAreUsageErrors(_ arguments: [String], _ message: String) throws {
    let run = try Run.nntop(arguments)
    #expect(run.status == 64, "\(arguments): \(run.stderr)")
    #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
  }

  @Test func trainSizeLargerThanTheDataIsAUsageError() throws {
    let run = try Run.nntop(["train", "xor", "--train-size", "5000", "--epochs", "1"])
    #expect(run.status == 64)
    #expect(run.stderr == "nntop: error: --train-size 5000 exceeds the 1000 training examples of xor\n")
  }

  @Test func headlessTrainingPrintsOneLinePerEpochAndTheTestAccuracy() throws {
    let run = try Run.nntop(["train", "spiral", "--epochs", "3", "--no-tui", "--threads", "1", "--no-log"])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 6)
    #expect(
      lines[0].hasPrefix(
        "nntop: spiral 2-32-32-3 relu, sgd lr 0.05, batch 32, 3 epochs, 1000 train / 500 validation / 500 test"
      ))
    #expect(lines[1].hasPrefix("epoch 1/3  train loss "))
    #expect(lines[3].hasPrefix("epoch 3/3  train loss "))
    #expect(lines[3].contains(" samples/s "))
    // The ended run's reading names a next run's flags, never a key or "keep training".
    #expect(lines[4].hasPrefix("at the end: ") && lines[4].contains("→ new run with --epochs 6"))
    #expect(lines[5].hasPrefix("finished after 3 epochs (96 steps, "))
    #expect(lines[5].contains("test loss") && lines[5].hasSuffix("%"))
  }

  @Test func sameSeedSameOutputNumbers() throws {
    func losses() throws -> [String] {
      try Run.nntop(["train", "gaussians", "--epochs", "2", "--seed", "3", "--threads", "2", "--no-log"])
        .stdout
        .split(separator: "\n").filter { $0.hasPrefix("epoch") }
        .map { String($0.split(separator: "lr")[0]) }
    }
    let first = try losses()
    #expect(first.count == 2)
    #expect(first == (try losses()))
  }

  @Test(arguments: ["xor", "circles", "spiral", "gaussians", "sine"])
  func everySyntheticSetTrainsWithItsDefaults(_ name: String) throws {
    let run = try Run.nntop(["train", name, "--epochs", "20", "--no-log"])
    #expect(run.status == 0, "\(name): \(run.stderr)")
    #expect(run.stdout.contains("finished after 20 epochs"))
  }

  @Test func divergenceExitsOneWithTheStep() throws {
    let run = try Run.nntop(["train", "sine", "--lr", "10", "--epochs", "50", "--no-log"])
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix("nntop: error: training diverged: step "), "\(run.stderr)")
  }

  @Test func missingDataFolderIsExitCode66() throws {
    let run = try Run.nntop(["train", "mnist", "--data", "/no/such/folder"])
    #expect(run.status == 66)
    #expect(run.stderr == "nntop: error: /no/such/folder: no such folder\n")
  }

  /// `runs` given a file, or an outcome it never shows: said, not an empty listing and exit 0.
  @Test func runsOfAFileOrAnUnknownOutcomeIsAUsageError() throws {
    let file = try Run.nntop(["runs", Repository.golden + "/circles.jsonl"])
    #expect(
      file.status == 64 && file.stderr.contains("is a file: runs lists a folder of run logs"), "\(file)")
    let typo = try Run.nntop(["runs", Repository.golden, "--outcome", "finshed"])
    #expect(
      typo.status == 64 && typo.stderr.contains("--outcome finshed: one of finished, stopped"), "\(typo)")
    let known = try Run.nntop(["runs", Repository.golden, "--outcome", "diverged"])
    #expect(known.status == 0 && known.stdout.contains("diverged"), "\(known)")
  }

  /// A log that stops before its run did says so, as `watch` does.
  @Test func replayingALogThatEndsEarlySaysSo() throws {
    let folder = TemporaryFolder("nntop-cli")
    let lines = try String(contentsOfFile: Repository.golden + "/circles.jsonl", encoding: .utf8)
      .split(separator: "\n").prefix(5)
    let cut = folder.write("cut.jsonl", text: lines.joined(separator: "\n") + "\n")
    let run = try Run.nntop(["replay", "--no-tui", cut])
    #expect(run.status == 0)
    #expect(
      run.stderr.contains("the log ends before the run did: interrupted, or still being written"), "\(run)")
    let whole = try Run.nntop(["replay", "--no-tui", Repository.golden + "/circles.jsonl"])
    #expect(!whole.stderr.contains("ends before the run did"))
  }

  @Test func corruptDatasetIsExitCode65AndNamesTheFile() throws {
    let temporary = TemporaryFolder("nntop-cli")
    let folder = temporary.path
    for name in [
      "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte",
    ] {
      // Eight bytes of a gzip header and nothing else.
      temporary.write("\(name).gz", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0])
    }
    let run = try Run.nntop(["train", "mnist", "--data", folder])
    #expect(run.status == 65)
    #expect(
      run.stderr.hasPrefix("nntop: error: \(folder)/train-images-idx3-ubyte.gz: truncated gzip stream"),
      "\(run.stderr)")
  }

  @Test func gradcheckPassesForEveryActivation() throws {
    let run = try Run.nntop(["gradcheck"])
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    for name in [
      "sigmoid", "tanh", "relu", "leaky-relu", "elu", "linear", "relu+batchnorm", "relu+dropout",
      "sigmoid+bce", "elu+mse",
    ] {
      #expect(run.stdout.contains("\n\(name) "), "no line for \(name)")
    }
    #expect(!run.stdout.contains("FAIL"))
    let strict = try Run.nntop(["gradcheck", "--tolerance", "1e-9"])
    #expect(strict.status == 1)
    #expect(strict.stdout.contains("FAIL"))
  }
}
