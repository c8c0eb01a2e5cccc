/// The output layer's pairing of final nonlinearity and loss.
///
/// Each case fuses its output nonlinearity with its loss so the gradient with respect to the logits
/// comes out of one pass (softmax + cross-entropy gives `p - onehot`), which is both faster and
/// numerically safer than chaining the two.
public enum LossFunction: String, CaseIterable, Sendable, Codable {
  /// Multi-class: softmax over the outputs, cross-entropy against an integer label.
  case softmaxCrossEntropy = "softmax-cross-entropy"
  /// Binary: one output, sigmoid, binary cross-entropy against a 0/1 label.
  case sigmoidBinaryCrossEntropy = "sigmoid-binary-cross-entropy"
  /// Regression: identity output, squared error against real targets (mean over rows of the sum
  /// over outputs of (y - t)^2).
  case squaredError = "squared-error"

  /// Whether "accuracy" means anything for this loss.
  public var reportsAccuracy: Bool { self != .squaredError }

  /// Loss and accuracy of one block of rows, optionally writing dLoss/dlogits.
  ///
  /// - Parameters:
  ///   - logits: rows × outputs, row-major.
  ///   - labels: one class index per row (classification losses).
  ///   - values: rows × outputs targets (squared error).
  ///   - gradient: where dLoss/dlogits goes, already divided by `normalizer` (the full batch size,
  ///     so gradients of batch halves computed on two cores add up to the whole batch's).
  /// - Returns: the summed (not averaged) loss over the rows and the number of correct rows.
  public func evaluate(
    logits: UnsafePointer<Float>, rows: Int, outputs: Int,
    labels: UnsafePointer<Int32>?, values: UnsafePointer<Float>?,
    gradient: UnsafeMutablePointer<Float>?, normalizer: Int
  ) -> (lossSum: Double, correct: Int) {
    let scale = 1 / Float(normalizer)
    var lossSum = 0.0
    var correct = 0
    switch self {
    case .softmaxCrossEntropy:
      guard let labels else { preconditionFailure("softmax cross-entropy needs labels") }
      for r in 0..<rows {
        let z = logits + r * outputs
        let label = Int(labels[r])
        var maxValue = z[0]
        var argmax = 0
        for c in 1..<max(outputs, 1) where z[c] > maxValue {
          maxValue = z[c]
          argmax = c
        }
        if argmax == label { correct += 1 }
        var sum: Float = 0
        if let gradient {
          let g = gradient + r * outputs
          for c in 0..<outputs {
            let e = expf32(z[c] - maxValue)
            g[c] = e
            sum += e
          }
          let inv = scale / sum
          for c in 0..<outputs { g[c] *= inv }
          g[label] -= scale
        } else {
          for c in 0..<outputs { sum += expf32(z[c] - maxValue) }
        }
        lossSum += Double(logf32(sum) - (z[label] - maxValue))
      }
    case .sigmoidBinaryCrossEntropy:
      guard let labels else { preconditionFailure("binary cross-entropy needs labels") }
      precondition(outputs == 1, "binary cross-entropy has one output")
      for r in 0..<rows {
        let z = logits[r]
        let y = Float(labels[r])
        let p = 1 / (1 + expf32(-z))
        // log(1 + e^z) - y z, written to stay finite for large |z|.
        let loss = max(z, 0) - z * y + logf32(1 + expf32(-abs(z)))
        lossSum += Double(loss)
        if (p >= 0.5) == (labels[r] == 1) { correct += 1 }
        gradient?[r] = (p - y) * scale
      }
    case .squaredError:
      guard let values else { preconditionFailure("squared error needs target values") }
      for i in 0..<(rows * outputs) {
        let d = logits[i] - values[i]
        let wide = Double(logits[i]) - Double(values[i])
        lossSum += wide * wide
        gradient?[i] = 2 * d * scale
      }
    }
    return (lossSum, correct)
  }
}
