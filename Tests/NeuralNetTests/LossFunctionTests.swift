import NeuralNet
import Testing

@Suite struct LossFunctionTests {
  @Test func softmaxCrossEntropyAgainstHandComputedValues() {
    // logits (1, 2, 3), label 2: loss = log(e + e² + e³) − 3 = 0.407606
    let logits: [Float] = [1, 2, 3, 0, 0, 0]
    let labels: [Int32] = [2, 0]
    var gradient = [Float](repeating: 0, count: 6)
    let result = logits.withUnsafeBufferPointer { l in
      labels.withUnsafeBufferPointer { y in
        gradient.withUnsafeMutableBufferPointer { g in
          LossFunction.softmaxCrossEntropy.evaluate(
            logits: l.baseAddress!, rows: 2, outputs: 3, labels: y.baseAddress!, values: nil,
            gradient: g.baseAddress!, normalizer: 2)
        }
      }
    }
    let expected = 0.4076059644 + 1.0986122887  // second row: uniform over 3 → log 3
    #expect(abs(result.lossSum - expected) < 1e-5)
    #expect(result.correct == 2)  // argmax of row 2 is its first class (ties go to the first)
    let softmax: [Float] = [0.09003057, 0.24472847, 0.66524096]
    #expect(abs(gradient[0] - softmax[0] / 2) < 1e-6)
    #expect(abs(gradient[1] - softmax[1] / 2) < 1e-6)
    #expect(abs(gradient[2] - (softmax[2] - 1) / 2) < 1e-6)
    #expect(abs(gradient[3] - (1.0 / 3 - 1) / 2) < 1e-6)
  }

  @Test func softmaxIsStableForHugeLogits() {
    let logits: [Float] = [1000, -1000, 0]
    let labels: [Int32] = [1]
    let result = logits.withUnsafeBufferPointer { l in
      labels.withUnsafeBufferPointer { y in
        LossFunction.softmaxCrossEntropy.evaluate(
          logits: l.baseAddress!, rows: 1, outputs: 3, labels: y.baseAddress!, values: nil, gradient: nil,
          normalizer: 1)
      }
    }
    #expect(abs(result.lossSum - 2000) < 1e-3)
  }

  @Test func binaryCrossEntropyAgainstHandComputedValues() {
    // z = 0.5, y = 1: loss = log(1 + e^−0.5) = 0.474077, dL/dz = σ(0.5) − 1 = −0.377541
    // z = −40, y = 1: loss ≈ 40 without overflow
    let logits: [Float] = [0.5, -40]
    let labels: [Int32] = [1, 1]
    var gradient = [Float](repeating: 0, count: 2)
    let result = logits.withUnsafeBufferPointer { l in
      labels.withUnsafeBufferPointer { y in
        gradient.withUnsafeMutableBufferPointer { g in
          LossFunction.sigmoidBinaryCrossEntropy.evaluate(
            logits: l.baseAddress!, rows: 2, outputs: 1, labels: y.baseAddress!, values: nil,
            gradient: g.baseAddress!, normalizer: 1)
        }
      }
    }
    #expect(abs(result.lossSum - (0.474077 + 40)) < 1e-4)
    #expect(result.correct == 1)
    #expect(abs(gradient[0] - (-0.377541)) < 1e-6)
    #expect(abs(gradient[1] - (-1)) < 1e-6)
  }

  @Test func squaredErrorAgainstHandComputedValues() {
    let outputs: [Float] = [1, 2]
    let targets: [Float] = [0, 4]
    var gradient = [Float](repeating: 0, count: 2)
    let result = outputs.withUnsafeBufferPointer { o in
      targets.withUnsafeBufferPointer { t in
        gradient.withUnsafeMutableBufferPointer { g in
          LossFunction.squaredError.evaluate(
            logits: o.baseAddress!, rows: 1, outputs: 2, labels: nil, values: t.baseAddress!,
            gradient: g.baseAddress!, normalizer: 1)
        }
      }
    }
    #expect(result.lossSum == 5)
    #expect(gradient == [2, -4])
    #expect(!LossFunction.squaredError.reportsAccuracy)
  }
}
