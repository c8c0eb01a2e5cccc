import NeuralNet
import Testing

@Suite struct InitializationTests {
  func sample(_ scheme: Initialization, fanIn: Int, fanOut: Int) -> (weights: [Float], bias: [Float]) {
    let w = FloatBuffer(count: fanIn * fanOut)
    let b = FloatBuffer(count: fanOut, value: 99)
    var rng = SeededGenerator(seed: 42)
    scheme.initialize(weights: w.base, bias: b.base, fanIn: fanIn, fanOut: fanOut, using: &rng)
    return (w.array, b.array)
  }

  func std(_ values: [Float]) -> Double {
    let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    return (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count))
      .squareRoot()
  }

  @Test func heHasStdSqrtTwoOverFanIn() {
    let (w, b) = sample(.he, fanIn: 200, fanOut: 300)
    #expect(abs(std(w) / (2.0 / 200).squareRoot() - 1) < 0.02)
    #expect(b.allSatisfy { $0 == 0 })
  }

  @Test func xavierIsUniformWithinGlorotBound() {
    let (w, _) = sample(.xavier, fanIn: 200, fanOut: 300)
    let bound = Float((6.0 / 500).squareRoot())
    #expect(w.allSatisfy { abs($0) <= bound })
    #expect(abs(std(w) / (Double(bound) / 3.0.squareRoot()) - 1) < 0.02)
  }

  @Test func naiveIsSmallGaussian() {
    let (w, _) = sample(.naive, fanIn: 200, fanOut: 300)
    #expect(abs(std(w) / 0.01 - 1) < 0.02)
  }

  @Test func pytorchDefaultDrawsWeightsAndBiasesFromTheSameBound() {
    let (w, b) = sample(.pytorch, fanIn: 400, fanOut: 300)
    let bound: Float = 1 / 20
    #expect(w.allSatisfy { abs($0) <= bound })
    #expect(b.allSatisfy { abs($0) <= bound })
    #expect(b.contains { $0 != 0 })
  }

  @Test func defaultsSuitTheActivation() {
    #expect(Initialization.suited(to: .relu) == .he)
    #expect(Initialization.suited(to: .tanh) == .xavier)
    #expect(
      NetworkSpec(inputSize: 2, hiddenSizes: [3], outputSize: 2, activation: .sigmoid).initialization
        == .xavier)
  }
}
