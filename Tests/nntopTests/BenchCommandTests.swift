import Foundation
import TestSupport
import Testing

/// `nntop bench` keeps the reference trainers' JSON lines while training with the shared step.
@Suite struct BenchCommandTests {
  static var data: String { FileManager.default.currentDirectoryPath + "/datasets" }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: data + "/mnist/train-images-idx3-ubyte.gz")))
  func printsConfigEvaluationEpochAndSummaryLines() throws {
    let run = try Run.nntop([
      "bench", "--data", Self.data, "--epochs", "1", "--hidden", "16", "--threads", "1", "--eval-every",
      "200",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let kinds = run.stdout.split(separator: "\n").map { line in
      line.split(separator: ",")[0].replacingOccurrences(of: "{\"kind\": ", with: "")
    }
    #expect(kinds == ["\"config\"", "\"eval\"", "\"eval\"", "\"epoch\"", "\"summary\""])
    #expect(run.stdout.contains("\"samples_seen\": 25600"))
    // One epoch of 60000 images on a small network learns well past chance.
    let epoch = try #require(run.stdout.split(separator: "\n").first { $0.contains("\"kind\": \"epoch\"") })
    let accuracy = epoch.split(separator: "\"test_acc\": ")[1].split(separator: ",")[0]
    #expect((Double(accuracy) ?? 0) > 0.85, "\(epoch)")
  }

  /// A 2-epoch run with `flag` trains the model a plain run trains (every epoch's losses and
  /// accuracies alike) and ends with its paired line, which is returned.
  func pairedLine(_ flag: String) throws -> String {
    let arguments = ["bench", "--data", Self.data, "--epochs", "2", "--hidden", "32,16", "--threads", "2"]
    let plain = try Run.nntop(arguments)
    let paired = try Run.nntop(arguments + [flag])
    #expect(plain.status == 0 && paired.status == 0, "\(plain.stderr)\(paired.stderr)")
    func results(_ output: String) -> [String] {
      output.split(separator: "\n").filter { $0.contains("\"kind\": \"epoch\"") }.map { line in
        String(line.split(separator: ", \"epoch_seconds\"")[0])
      }
    }
    #expect(results(plain.stdout).count == 2)
    #expect(results(plain.stdout) == results(paired.stdout))
    #expect(!plain.stdout.contains("paired"))
    return String(try #require(paired.stdout.split(separator: "\n").last))
  }

  /// --pair-checked switches every 25 steps between the usual update and the checked one; both
  /// give the same bits, and the paired line counts both paths' steps after the first epoch.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: data + "/mnist/train-images-idx3-ubyte.gz")))
  func pairingWithTheCheckedUpdateTrainsTheSameModel() throws {
    let line = try pairedLine("--pair-checked")
    // Epoch 2 is steps 469–937 (counted from 0); those with step / 25 odd take the checked path.
    #expect(line.hasPrefix("{\"kind\": \"paired\", \"threads\": 2, \"usual_steps\": 231,"), "\(line)")
    #expect(line.contains("\"checked_steps\": 238,"), "\(line)")
  }

  /// --pair-ceiling times blocks of 25 ceiling steps after every 25 training steps from the
  /// second epoch, outside the training clock: the model is a plain run's, and the paired line
  /// counts each side's steps less the first after every switch, with ratio = ceiling ÷ nntop.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: data + "/mnist/train-images-idx3-ubyte.gz")))
  func pairingWithTheCeilingTrainsTheSameModelAndCountsBothSides() throws {
    let line = try pairedLine("--pair-ceiling")
    // Epoch 2 is steps 469–937; a ceiling block follows steps 474, 499, …, 924 (19 blocks of 24
    // timed steps), and the 19 training steps after them are not timed: 469 − 19 = 450.
    #expect(line.hasPrefix("{\"kind\": \"paired\", \"threads\": 2, \"nntop_steps\": 450,"), "\(line)")
    #expect(line.contains("\"ceiling_steps\": 456,"), "\(line)")
    let fields = line.split(separator: "\"ratio_mean\": ")[1].split(separator: ", \"ratio_p10\": ")
    let ratioMean = try #require(Double(fields[0]))
    let ratioTenth = try #require(Double(fields[1].dropLast()))
    #expect(ratioMean > 0 && ratioMean.isFinite && ratioTenth > 0 && ratioTenth.isFinite, "\(line)")
  }

  /// One pairing at a time, and not in a one-epoch run: refused with a one-line reason.
  @Test func refusesBothPairings() throws {
    let run = try Run.nntop(["bench", "--pair-checked", "--pair-ceiling"])
    #expect(run.status != 0)
    #expect(run.stderr.contains("give one of --pair-checked and --pair-ceiling"), "\(run.stderr)")
    #expect(run.stdout.isEmpty)
    // Pairing starts with the second epoch: one epoch would pair nothing.
    let short = try Run.nntop(["bench", "--epochs", "1", "--pair-ceiling"])
    #expect(short.status != 0 && short.stdout.isEmpty)
    #expect(short.stderr.contains("--pair-ceiling times the steps after the first epoch"), "\(short.stderr)")
  }
}
