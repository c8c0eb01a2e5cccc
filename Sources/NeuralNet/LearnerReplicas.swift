/// The first layer split by inputs among cores, and the rows of each weight matrix a core owns.
extension Learner {
  /// Replicas without batch norm. Core k loads its inputs of every slice and multiplies them by
  /// its rows of the first layer's weights; each replica then adds the cores' parts for its
  /// slice and runs the rest of the network on its own.
  func splitFirstLayerPasses(
    _ parts: [Range<Int>], spaces: [Workspace], totalRows: Int, dropout: Float, inputMagnitude: Float,
    fill: ColumnFill
  ) -> [PassResult] {
    let net = network
    let first = net.layers[0]
    let count = parts.count
    let rowStride = spaces[0].capacity
    let own = (0..<count).map {
      ReplicaSplit.weightRows(fanIn: first.fanIn, fanOut: first.fanOut, part: $0, count: count)
    }
    let products = firstLayerParts
    Parallel.forEach(count) { k in
      guard !own[k].isEmpty else { return }
      for r in 0..<count { fill(spaces[r], parts[r], own[k]) }
      net.firstLayerPartial(spaces, inputs: own[k], into: products[k].base, rowStride: rowStride)
    }
    let sources = (0..<count).filter { !own[$0].isEmpty }.map { UnsafePointer(products[$0].base) }
    var results = [PassResult](repeating: PassResult(), count: count)
    results.withUnsafeMutableBufferPointer { out in
      Parallel.forEach(count) { k in
        net.finishFirstLayer(spaces[k], replica: k, partials: sources, rowStride: rowStride)
        net.forward(spaces[k], training: true, dropout: dropout, firstLayerDone: true)
        let (lossSum, correct) = net.lossAndDeltas(spaces[k], normalizer: totalRows)
        out[k] = PassResult(
          lossSum: lossSum, correct: correct, bound: gradientBound(spaces[k], inputMagnitude: inputMagnitude))
      }
    }
    return results
  }

  /// The rows of a layer's weights that core `part` of `count` makes the gradient of and
  /// updates, as a range of the parameter buffer.
  static func ownRows(of layer: DenseLayout, part: Int, count: Int) -> Range<Int> {
    layer.weightRange(
      rows: ReplicaSplit.weightRows(fanIn: layer.fanIn, fanOut: layer.fanOut, part: part, count: count))
  }
}
