import Foundation
import NeuralNet
import Testing

/// `Parallel.forEach` runs on spinning worker threads that sleep when idle: every iteration must
/// run exactly once per region, whether the workers were spinning, asleep, or taken.
@Suite struct ParallelTests {
  @Test func everyIterationRunsOncePerRegion() {
    let regions = 20_000
    var counts = [Int](repeating: 0, count: 2)
    counts.withUnsafeMutableBufferPointer { slots in
      for _ in 0..<regions {
        Parallel.forEach(2) { k in slots[k] += 1 }
      }
    }
    #expect(counts == [regions, regions])
  }

  @Test func workersAsleepWakeUpForTheNextRegion() {
    var hits = [Int](repeating: 0, count: 2)
    hits.withUnsafeMutableBufferPointer { slots in
      for _ in 0..<5 {
        usleep(20_000)  // far beyond the spin: the worker is asleep on its condition variable
        Parallel.forEach(2) { k in slots[k] += 1 }
      }
    }
    #expect(hits == [5, 5])
  }

  @Test func nestedAndOversizedRegionsStillRunEveryIteration() {
    var grid = [Int](repeating: 0, count: 2 * 4)
    grid.withUnsafeMutableBufferPointer { cells in
      Parallel.forEach(2) { outer in
        Parallel.forEach(4) { inner in cells[outer * 4 + inner] += 1 }
      }
    }
    #expect(grid == [Int](repeating: 1, count: 8))
  }

  @Test func twoThreadsOpeningRegionsAtOnceBothFinish() async {
    let results = await withTaskGroup(of: Int.self) { group in
      for _ in 0..<2 {
        group.addTask {
          var total = [Int](repeating: 0, count: 2)
          total.withUnsafeMutableBufferPointer { slots in
            for _ in 0..<2_000 { Parallel.forEach(2) { k in slots[k] += 1 } }
          }
          return total.reduce(0, +)
        }
      }
      return await group.reduce(into: [Int]()) { $0.append($1) }
    }
    #expect(results == [4_000, 4_000])
  }
}
