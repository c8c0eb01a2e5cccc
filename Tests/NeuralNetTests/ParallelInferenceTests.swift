import NeuralNet
import Testing

/// Inference cut into slices gives the same bits on any number of cores, and each slice's rows
/// are what a whole-batch `forward` computes, up to the products' rounding.
@Suite struct ParallelInferenceTests {
  /// Random inputs through a 300-64-32-5 network (with batch norm, running statistics moved away
  /// from 0 and 1 by a few training-mode passes), on `rows` rows: the logits and the first hidden
  /// layer. `cores` nil: one `forward` over every row.
  func outputs(rows: Int, parts: Int, cores: Int?, batchNorm: Bool) -> [[Float]] {
    // One BLAS thread, as every caller of `infer` sets it (`Evaluator`, `Learner`): OpenBLAS starts
    // with one per core, and a product split among its threads rounds differently. Left at its
    // start, this test failed on a CI machine when another test set it to 1 between its halves.
    BLASThreads.set(1)
    let spec = NetworkSpec(inputSize: 300, hiddenSizes: [64, 32], outputSize: 5, batchNorm: batchNorm)
    let network = Network(spec: spec, seed: 11)
    var rng = SeededGenerator(seed: 12)
    let x = (0..<(rows * 300)).map { _ in rng.nextGaussian() }
    let ws = Workspace(network: network, capacity: rows)
    ws.rows = rows
    func load(_ part: Range<Int>) {
      for i in part.lowerBound * 300..<part.upperBound * 300 { ws.input[i] = x[i] }
    }
    if batchNorm {
      load(0..<rows)
      for _ in 0..<3 { network.forward(ws, training: true) }
      for i in 0..<(rows * 300) { ws.input[i] = 0 }
    }
    if let cores {
      network.infer(ws, parts: parts, cores: cores, load: load)
    } else {
      load(0..<rows)
      network.forward(ws, training: false)
    }
    let logits = ws.outputs[network.layers.count - 1]
    return [
      Array(UnsafeBufferPointer(start: logits.base, count: rows * 5)),
      Array(UnsafeBufferPointer(start: ws.outputs[0].base, count: rows * 64)),
    ]
  }

  @Test(arguments: [1, 7, 1_000])
  func theSlicesNotTheCoresDecideTheBits(rows: Int) {
    for batchNorm in [false, true] {
      let one = outputs(rows: rows, parts: 2, cores: 1, batchNorm: batchNorm)
      for cores in [2, 3, 4] {
        let many = outputs(rows: rows, parts: 2, cores: cores, batchNorm: batchNorm)
        let mismatches = zip(one, many).map { a, b in zip(a, b).filter { $0 != $1 }.count }
        #expect(mismatches == [0, 0], "batch norm \(batchNorm), \(cores) cores")
      }
      // The same arithmetic as one forward pass over every row, up to rounding.
      let whole = outputs(rows: rows, parts: 1, cores: nil, batchNorm: batchNorm)
      for (a, b) in zip(one, whole) {
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max()!
        #expect(worst < 1e-5, "batch norm \(batchNorm): relative difference \(worst)")
      }
      #expect(Set(one[0]).count > 1, "the inputs went through")
    }
  }

  /// One slice is exactly one forward pass.
  @Test func oneSliceIsTheForwardPass() {
    for batchNorm in [false, true] {
      #expect(
        outputs(rows: 33, parts: 1, cores: 2, batchNorm: batchNorm)
          == outputs(rows: 33, parts: 1, cores: nil, batchNorm: batchNorm))
    }
  }
}
