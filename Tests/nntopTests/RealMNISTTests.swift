import Foundation
import TestSupport
import Testing

/// Trains on the real MNIST files shipped in datasets/ (an integration test, a few seconds).
@Suite struct RealMNISTTests {
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: Repository.datasets + "/mnist/train-images-idx3-ubyte.gz"))
  )
  func shortRunOnASubsetLearns() throws {
    let run = try Run.nntop([
      "train", "mnist", "--train-size", "5000", "--epochs", "2", "--hidden", "64", "--data",
      Repository.datasets, "--no-log",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.isEmpty, "warnings on the real data: \(run.stderr)")
    #expect(run.stdout.contains("5000 train / 5000 validation / 10000 test"))
    let last = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
    // 5000 images, two epochs: well above chance (10 %), on its way to the high 90s.
    let accuracy = Double(last.split(separator: " ").last!.dropLast()) ?? 0
    #expect(accuracy > 85, "\(last)")
  }
}
