import Foundation
import NeuralNet
import RunLog
import RunModel
import TestSupport
import Testing

/// Files that are not nntop checkpoints, or only part of one: each is named for what it is, and
/// what evaluation needs is enough to evaluate.
@Suite struct ForeignCheckpointTests {
  static let full = CheckpointFile.encode(CheckpointTests.state(optimizer: .sgd))

  func problem(_ bytes: [UInt8], path: String = "c.safetensors") -> String {
    do {
      _ = try CheckpointFile.decode(bytes, path: path)
      return "loaded"
    } catch {
      return error.problem
    }
  }

  /// Only the weights and the metadata evaluation needs (dataset, network).
  @Test func aWeightsOnlyFileLoadsAndSaysItCannotBeResumed() throws {
    let (metadata, tensors) = try Safetensors.parse(Self.full)
    let kept = try #require(metadata).filter { ["format", "version", "dataset", "network"].contains($0.key) }
    let weights = tensors.filter { !$0.name.hasPrefix("optimizer.") }
    let bytes = try Safetensors.encode(metadata: kept, tensors: weights)
    let state = try CheckpointFile.decode(bytes, path: "w.safetensors")
    #expect(state.weightsOnly)
    #expect(state.parameters == CheckpointTests.state(optimizer: .sgd).parameters)
    #expect(state.network == CheckpointTests.state().network)
    // A full checkpoint is not weights-only.
    #expect(try !CheckpointFile.decode(Self.full, path: "c").weightsOnly)
  }

  @Test func aRunLogIsNamedWithWhatToPassInstead() {
    let log = Array(#"{"type": "header", "version": 1, "t": 0.0, "dataset": "spiral"}"#.utf8) + [0x0A]
    #expect(
      problem(log, path: "runs/a.jsonl")
        == "this is a run log (JSON Lines), not a checkpoint: `nntop replay runs/a.jsonl` plays it; "
        + "its checkpoints are next to it (runs/a.final.safetensors, runs/a.epochNNNN.safetensors)")
    #expect(problem([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]).hasPrefix("this is a gzip file"))
    #expect(problem(Array("PK\u{3}\u{4}zipzipzip".utf8)).hasPrefix("this is a PyTorch .pt/.pth file"))
    #expect(problem(Array("hello, world, not a model".utf8)).hasPrefix("not a safetensors file"))
  }

  /// `torch.nn.Sequential(Linear, ReLU, Linear, ReLU, Linear)` saved with safetensors: layers
  /// 0, 2, 4, weights [out, in].
  @Test func aPyTorchSequentialStateDictIsRecognisedWithHowToConvertIt() throws {
    let (_, tensors) = try Safetensors.parse(Self.full)
    let names = ["hidden1": "0", "hidden2": "2", "output": "4"]
    let torch = tensors.filter { !$0.name.hasPrefix("optimizer.") }.map { t in
      let parts = t.name.split(separator: ".")
      var renamed = t.shape.count == 2 ? t.transposed() : t
      renamed.name = names[String(parts[0])]! + "." + parts[1]
      return renamed
    }
    let message = problem(try Safetensors.encode(metadata: ["format": "pt"], tensors: torch))
    #expect(
      message.hasPrefix(
        "this is a PyTorch nn.Sequential state dict (Linear 0.weight, 2.weight, 4.weight, weights [out, in])")
    )
    #expect(message.contains("examples/nntop_pytorch.py to-nntop"))
  }
}
