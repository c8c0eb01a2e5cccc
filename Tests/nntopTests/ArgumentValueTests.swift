import Foundation
import TestSupport
import Testing

/// Values parse into their types: `--help` lists the valid ones and a bad one is a usage error.
@Suite struct ArgumentValueTests {
  @Test func benchHelpListsTheOptimisersAndTheDropoutRange() throws {
    let run = try Run.nntop(["bench", "--help"])
    #expect(run.status == 0)
    let text = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(text.contains("(values: sgd, adam; default: sgd)"))
    #expect(text.contains("in [0, 0.95]"))
  }

  @Test(arguments: [
    (["bench", "--opt", "rmsprop"], "Please provide one of 'sgd' and 'adam'"),
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
    #expect(run.stdout.contains("lr 5e-04"), "\(run.stdout)")
  }
}
