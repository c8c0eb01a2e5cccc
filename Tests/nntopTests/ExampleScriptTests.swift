import Foundation
import TestSupport
import Testing

/// `examples/nntop_pytorch.py`, the documented way to use a checkpoint outside nntop: its NumPy
/// forward pass (layout, pixels / 255, batch norm) gives `nntop eval`'s accuracy, and its
/// conversions to PyTorch's names and back are what nntop's refusal message tells people to run.
@Suite struct ExampleScriptTests {
  static let script = Repository.root + "/examples/nntop_pytorch.py"

  /// python3 with NumPy, and the MNIST files (the script evaluates on MNIST only).
  static let available: Bool = {
    guard FileManager.default.fileExists(atPath: Repository.datasets + "/mnist/t10k-images-idx3-ubyte.gz"),
      let run = try? python(["-c", "import numpy"])
    else { return false }
    return run.status == 0
  }()

  static func python(_ arguments: [String]) throws -> Run {
    try Run.program(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments)
  }

  @Test(.enabled(if: available)) func theNumpyForwardPassAndBothConversionsAgreeWithNntopEval() throws {
    let folder = TemporaryFolder("nntop-runs")
    let train = try Run.nntop([
      "train", "mnist", "--data", Repository.root, "--train-size", "1000", "--epochs", "1", "--hidden",
      "32,16",
      "--batch-norm", "--log", folder.path + "/a.jsonl", "--threads", "1",
    ])
    #expect(train.status == 0, "\(train.stderr)")
    let checkpoint = folder.path + "/a.final.safetensors"
    let nntop = try Run.nntop(["eval", checkpoint, "--data", Repository.root])
    let accuracy = try #require(nntop.stdout.split(separator: ",").first).replacing(
      "test accuracy ", with: "")
    let numpy = try Self.python([Self.script, "eval", checkpoint, "--data", Repository.datasets + "/mnist"])
    #expect(numpy.status == 0, "\(numpy.stderr)")
    #expect(numpy.stdout == "test accuracy \(accuracy)\n", "\(numpy.stdout) vs \(nntop.stdout)")
    // To PyTorch's names and layout: nntop recognises the file and names the command back.
    let torch = folder.path + "/torch.safetensors"
    #expect(try Self.python([Self.script, "to-torch", checkpoint, torch]).status == 0)
    let refused = try Run.nntop(["eval", torch])
    #expect(refused.status == 65)
    #expect(refused.stderr.contains("with BatchNorm1d") && refused.stderr.contains("--batch-norm`"))
    // Running what it says gives a weights-only checkpoint with the same accuracy.
    let back = folder.path + "/back.safetensors"
    let convert = try Self.python([
      Self.script, "to-nntop", torch, back, "--dataset", "mnist", "--activation", "relu", "--batch-norm",
    ])
    #expect(convert.status == 0, "\(convert.stderr)")
    let again = try Run.nntop(["eval", back, "--data", Repository.root])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.hasPrefix("test accuracy \(accuracy), ") && again.stdout.contains("weights only"))
  }
}
