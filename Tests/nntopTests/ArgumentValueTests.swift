import Foundation
import TestSupport
import Testing

/// Values parse into their types: `--help` lists the valid ones and a bad one is a usage error.
@Suite struct ArgumentValueTests {
  @Test func benchHelpListsTheOptimisersAndTheDropoutRange() throws {
    let run = try Run.nntop(["bench", "--help"])
    #expect(run.status == 0)
    let text = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(text.contains("--optimizer <optimizer> Optimiser (default: sgd). (values: sgd, adam)"))
    #expect(text.contains("in [0, 0.95]"))
    // The same names as `train`; the references' --opt and --wd work but are not advertised.
    #expect(text.contains("--l2 <l2> L2 weight decay strength"))
    #expect(!text.contains("--opt <") && !text.contains("--wd <"))
  }

  @Test(arguments: [
    (["bench", "--optimizer", "rmsprop"], "The value 'rmsprop' is invalid for '--optimizer"),
    (["bench", "--opt", "rmsprop"], "The value 'rmsprop' is invalid for '--opt"),
    (["bench", "--l2", "2"], "--l2 must be in [0, 1], got 2"),
    (["bench", "--wd", "2"], "--wd must be in [0, 1], got 2"),
    (["bench", "--dropout", "0.99"], "--dropout must be in [0, 0.95], got 0.99"),
    (["bench", "--hidden", "0"], "'0' is not a layer width"),
    (["train", "xor", "--init", "zeros"], "The value 'zeros' is invalid for '--init <init>'"),
    (["train", "xor", "--scenario", "overfit"], "--scenario runs on mnist"),
  ])
  func badValuesAreUsageErrors(_ arguments: [String], _ message: String) throws {
    let run = try Run.nntop(arguments)
    #expect(run.status == 64, "\(arguments): \(run.stderr)")
    #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
  }

  @Test func parsedValuesReachTheRun() throws {
    let run = try Run.nntop([
      "train", "CIRCLES", "--hidden", "none", "--activation", "tanh", "--optimizer", "adam", "--schedule",
      "step:1:0.5", "--epochs", "2", "--no-log", "--threads", "1",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.hasPrefix("nntop: circles 2-1 tanh, adam lr 0.001"), "\(run.stdout)")
    #expect(run.stdout.contains("lr 0.0005"), "\(run.stdout)")
  }
}
