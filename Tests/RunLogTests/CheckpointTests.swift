import Foundation
import NeuralNet
import RunLog
import RunModel
import TestSupport
import Testing

@Suite struct CheckpointTests {
  static func state(batchNorm: Bool = false, optimizer: OptimizerKind = .adam) -> CheckpointState {
    let spec = NetworkSpec(inputSize: 5, hiddenSizes: [7, 4], outputSize: 3, batchNorm: batchNorm)
    let plan = spec.layout()
    var rng = SeededGenerator(seed: 3)
    func values(_ n: Int) -> [Float] { (0..<n).map { _ in rng.nextGaussian() } }
    return CheckpointState(
      dataset: "spiral", network: spec, optimizer: optimizer,
      hyperparameters: Hyperparameters(learningRate: 0.001, momentum: 0.9, dropout: 0.1, l2: 1e-4),
      parameters: values(plan.count), runningStats: values(plan.statsCount), firstMoment: values(plan.count),
      secondMoment: optimizer == .adam ? values(plan.count).map(abs) : [], optimizerSteps: 321,
      epochsCompleted: 3,
      step: 96, seed: 7, batchSize: 32, totalEpochs: 10)
  }

  @Test(arguments: [(false, OptimizerKind.adam), (true, OptimizerKind.sgd)])
  func roundTripIsBitIdentical(batchNorm: Bool, optimizer: OptimizerKind) throws {
    let original = Self.state(batchNorm: batchNorm, optimizer: optimizer)
    let bytes = CheckpointFile.encode(original)
    let back = try CheckpointFile.decode(bytes, path: "c")
    #expect(back.parameters.map(\.bitPattern) == original.parameters.map(\.bitPattern))
    #expect(back.runningStats.map(\.bitPattern) == original.runningStats.map(\.bitPattern))
    #expect(back.firstMoment.map(\.bitPattern) == original.firstMoment.map(\.bitPattern))
    #expect(back.secondMoment.map(\.bitPattern) == original.secondMoment.map(\.bitPattern))
    #expect(back.network == original.network)
    #expect(back.hyperparameters == original.hyperparameters)
    #expect(back.optimizerSteps == 321 && back.epochsCompleted == 3 && back.step == 96 && back.seed == 7)
    // The safetensors layout: header length, then JSON whose tensors tile the data exactly.
    var length: UInt64 = 0
    for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    #expect((8 + Int(length)) % 8 == 0)
    let header = try #require(
      try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + Int(length))])) as? [String: Any])
    let weight = try #require(header["hidden1.weight"] as? [String: Any])
    #expect(weight["dtype"] as? String == "F32")
    #expect(weight["shape"] as? [Int] == [5, 7])
    #expect(weight["data_offsets"] as? [Int] == [0, 140])
  }

  @Test func writingIsAtomicAndReadsBack() throws {
    let temporary = TemporaryFolder("nntop-ckpt")
    let folder = temporary.path
    let path = temporary.file("a.safetensors")
    try CheckpointFile.write(Self.state(), to: path)
    try CheckpointFile.write(Self.state(), to: path)  // replaces in place
    // No temporary file is left behind.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["a.safetensors"])
    #expect(try CheckpointFile.read(path).parameters == Self.state().parameters)
  }

  func problem(_ bytes: [UInt8]) -> String {
    do {
      _ = try CheckpointFile.decode(bytes, path: "c.safetensors")
      return "loaded"
    } catch {
      return error.problem
    }
  }

  /// Replaces `old` by `new` (same length) inside the JSON header.
  /// Searched for in the bytes themselves: decoded as text, a header length byte of 0x80 or more
  /// became a three-byte replacement character and moved every offset.
  func edit(_ bytes: [UInt8], _ old: String, _ new: String) -> [UInt8] {
    let (from, to) = (Array(old.utf8), Array(new.utf8))
    precondition(from.count == to.count)
    let start = bytes.indices.first { bytes[$0...].starts(with: from) }!
    var copy = bytes
    copy.replaceSubrange(start..<(start + from.count), with: to)
    return copy
  }

  /// A place inside an epoch reads back exactly, and a damaged one is refused with its key.
  @Test func anEpochsProgressReadsBackAndADamagedOneIsRefused() throws {
    var state = Self.state()
    state.epochProgress = EpochProgress(
      steps: 9, lossSum: 123.456_789_012_345_67, correct: 250, rows: 288, seconds: 0.0125)
    let back = try CheckpointFile.decode(CheckpointFile.encode(state), path: "c")
    #expect(back.epochProgress == state.epochProgress)
    #expect(try CheckpointFile.decode(CheckpointFile.encode(Self.state()), path: "c").epochProgress == nil)
    for bad in ["9,1,300,288,0", "0,1,2,3,4", "9,nan,1,2,3", "9,1,2", "9,-1,2,3,4"] {
      #expect(EpochProgress(parsing: bad) == nil, "\(bad)")
    }
    let good = CheckpointFile.encode(state)
    let damaged = problem(edit(good, "\"epoch_progress\": \"9,", "\"epoch_progress\": \"x,"))
    #expect(damaged.contains("epoch_progress"), "\(damaged)")
  }

  @Test func everyKindOfDamageIsRefusedWithItsReason() {
    let good = CheckpointFile.encode(Self.state())
    #expect(problem(Array(good.prefix(5))) == "bad header: 5 bytes, too short for a safetensors file")
    var huge = good
    huge[6] = 0x7F
    #expect(problem(huge).hasPrefix("bad header: declares "))
    #expect(problem(edit(good, "\"__metadata__\"", "\"__metadata_x\"")) == "bad header: no __metadata__")
    var broken = good
    broken[9] = UInt8(ascii: "!")
    #expect(problem(broken) == "bad header: not valid JSON")
    // The data cut short: the last tensor's offsets point past the end.
    let cut = Array(good.dropLast(12))
    #expect(problem(cut).hasPrefix("offsets past the end: optimizer.second_moment ends at byte"))
    // A tensor of another shape: the architecture does not match.
    #expect(
      problem(edit(good, "\"shape\": [5, 7]", "\"shape\": [5, 8]"))
        == "wrong architecture: hidden1.weight is [5, 8], 5-7-4-3 relu needs [5, 7]")
    #expect(
      problem(edit(good, "\"hidden1.bias\"", "\"hidden9.bias\""))
        == "wrong architecture: no tensor hidden1.bias for 5-7-4-3 relu")
    #expect(
      problem(edit(good, "\"dtype\": \"F32\"", "\"dtype\": \"F16\""))
        == "tensor hidden1.weight has dtype F16, expected F32")
    // A NaN among the weights.
    var nan = good
    var length = 0
    for i in 0..<8 { length |= Int(good[i]) << (8 * i) }
    let dataStart = 8 + length  // hidden1.weight is the first tensor
    for (i, byte) in withUnsafeBytes(of: Float.nan.bitPattern.littleEndian, Array.init).enumerated() {
      nan[dataStart + i] = byte
    }
    #expect(problem(nan) == "non-finite weights: hidden1.weight[0] is nan")
    #expect(problem(good) == "loaded")
  }

  @Test func missingFileIs66() {
    do {
      _ = try CheckpointFile.read("/no/such.safetensors")
      Issue.record("read a missing file")
    } catch {
      #expect(error.exitCode == 66)
      #expect(error.description == "/no/such.safetensors: no such file")
    }
  }
}
