import Datasets
import NeuralNet
import RunModel
import Testing

@testable import Training  // TrajectoryRecorder is internal

@Suite struct TrajectoryTests {
  /// The partial shuffle keeps exactly the indices the end of a whole shuffle holds, for small
  /// networks and for MNIST's 235 146 parameters.
  @Test(arguments: [50, 4_096, 4_097, 235_146]) func partialShuffleKeepsTheWholeShufflesEnd(count: Int) {
    for seed: UInt64 in [0, 7] {
      var all = Array(0..<count)
      var rng = SeededGenerator(seed: seed &+ 0x7AA1_EC70)
      rng.shuffle(&all)
      let expected = Array(all.suffix(TrajectoryRecorder.coordinates)).sorted()
      #expect(TrajectoryRecorder.chosenIndices(parameterCount: count, seed: seed) == expected)
    }
  }

  @Test func aStraightPathIsOneComponentInOrder() throws {
    var recorder = TrajectoryRecorder(parameterCount: 50, seed: 1)
    let buffer = FloatBuffer(count: 50)
    for t in 0..<10 {
      // Moving along a fixed direction, plus a small wobble in another.
      for i in 0..<50 { buffer[i] = Float(t) * Float(i % 7) + (t % 2 == 0 ? 0.01 : -0.01) * Float(i % 3) }
      recorder.record(buffer, step: t * 5)
    }
    let path = try #require(recorder.project(step: 45, epoch: 1))
    #expect(path.explained[0] > 0.99)
    #expect(path.steps == Array(stride(from: 0, to: 50, by: 5)))
    let xs = path.points.map(\.x)
    #expect(zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 })  // in order, ending on the positive side
    let sum = xs.reduce(0, +)
    let scale = xs.map { abs($0) }.reduce(0, +)
    #expect(abs(sum) < 1e-6 * scale + 1e-9)  // centred
  }

  @Test func trainingEmitsTheTrajectoryEachEpoch() {
    let data = Synthetic.make(.spiral, seed: 1)
    let events = train(configuration(for: data, epochs: 3, statsEvery: 4), on: data)
    let paths = events.compactMap { event -> Trajectory? in
      if case .trajectory(let t) = event { return t } else { return nil }
    }
    #expect(paths.count == 3)
    #expect(paths.last!.points.count == 24)  // 96 steps, a snapshot every 4
    #expect(paths.last!.explained[0] >= paths.last!.explained[1])
  }
}
