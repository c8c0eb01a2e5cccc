import Datasets
import Foundation
import Testing

@Suite struct MNISTTests {
  func loadError(_ fixtures: Fixtures) -> DatasetError? {
    do {
      _ = try MNIST.load(folder: fixtures.folder)
      return nil
    } catch {
      return error
    }
  }

  @Test(arguments: [true, false])
  func loadsAValidFolderAndSplitsIt(gzip: Bool) throws {
    let fixtures = Fixtures()
    fixtures.writeMNIST(train: 5_010, test: 20, gzip: gzip)
    let bundle = try MNIST.load(folder: fixtures.folder)
    #expect(bundle.train.count == 10)
    #expect(bundle.validation.count == 5_000)
    #expect(bundle.test.count == 20)
    #expect(bundle.featureCount == 784)
    #expect(bundle.task == .classification(classes: 10))
    // Train and validation are disjoint and together cover every training image.
    let all = Set(bundle.train.indices + bundle.validation.indices)
    #expect(all.count == 5_010)
    // Fixture files are not the real MNIST: each gets a checksum warning naming it.
    #expect(bundle.warnings.count == 4)
    #expect(bundle.warnings.allSatisfy { $0.contains(fixtures.folder) && $0.contains("checksum mismatch") })
    // Pixels are scaled to [0, 1] on the way out.
    var features = [Float](repeating: 0, count: 784)
    var label: Int32 = -1
    var target: Float = 0
    let position: [Int32] = [0]
    position.withUnsafeBufferPointer { p in
      bundle.test.copyRows(p, features: &features, labels: &label, targets: &target)
    }
    #expect(features[1] == Float(31) * (1 / 255))
    #expect(label == 0)
    // Copied in two column blocks (as two cores load a batch): the same features; the labels only
    // from the block that starts at column 0.
    let rows: [Int32] = [3, 0, 7]
    var whole = [Float](repeating: 0, count: 3 * 784)
    var blocks = [Float](repeating: -1, count: 3 * 784)
    var labels = [Int32](repeating: -1, count: 3)
    var blockLabels = [Int32](repeating: -1, count: 3)
    var targets = [Float](repeating: 0, count: 3)
    rows.withUnsafeBufferPointer { p in
      bundle.test.copyRows(p, features: &whole, labels: &labels, targets: &targets)
      bundle.test.copyRows(p, features: &blocks, labels: &blockLabels, targets: &targets, columns: 392..<784)
      #expect(blockLabels == [-1, -1, -1])
      #expect(blocks[0] == -1 && blocks[392] == whole[392])
      bundle.test.copyRows(p, features: &blocks, labels: &blockLabels, targets: &targets, columns: 0..<392)
    }
    #expect(blocks == whole)
    #expect(blockLabels == labels)
  }

  @Test func theSplitIsFixed() throws {
    let fixtures = Fixtures()
    fixtures.writeMNIST()
    let first = try MNIST.load(folder: fixtures.folder, verifyChecksums: false)
    let second = try MNIST.load(folder: fixtures.folder, verifyChecksums: false)
    #expect(first.validation.indices == second.validation.indices)
  }

  @Test func missingFileIsExitCode66() {
    let fixtures = Fixtures()
    fixtures.writeMNIST()
    fixtures.write("t10k-labels-idx1-ubyte.gz", [])
    try? FileManagerShim.remove(fixtures.folder + "/t10k-labels-idx1-ubyte.gz")
    let error = loadError(fixtures)
    #expect(error?.kind == .missing)
    #expect(error?.exitCode == 66)
    #expect(error?.description == fixtures.folder + "/t10k-labels-idx1-ubyte: no such file")
  }

  @Test func truncatedImagesFileNamesTheFileAndTheSizes() {
    let fixtures = Fixtures()
    fixtures.writeMNIST()
    let images = Fixtures.images(count: 5_010)
    fixtures.writeGzip("train-images-idx3-ubyte.gz", Array(images.prefix(1_200_016)))
    #expect(
      loadError(fixtures)?.description
        == fixtures.folder
        + "/train-images-idx3-ubyte.gz: truncated: header declares 5010 images (3927840 bytes), file has 1200000"
    )
    #expect(loadError(fixtures)?.exitCode == 65)
  }

  @Test func labelOutOfRange() {
    let fixtures = Fixtures()
    fixtures.writeMNIST()
    fixtures.writeGzip("t10k-labels-idx1-ubyte.gz", Fixtures.labels(count: 20) { $0 == 7 ? 12 : 3 })
    #expect(
      loadError(fixtures)?.description
        == fixtures.folder + "/t10k-labels-idx1-ubyte.gz: label 12 at index 7 is out of range 0–9")
  }

  @Test func mismatchedCounts() {
    let fixtures = Fixtures()
    fixtures.writeMNIST()
    fixtures.writeGzip("t10k-labels-idx1-ubyte.gz", Fixtures.labels(count: 19))
    #expect(
      loadError(fixtures)?.description
        == fixtures.folder
        + "/t10k-labels-idx1-ubyte.gz: 19 labels but t10k-images-idx3-ubyte.gz has 20 images")
  }

  @Test func wrongImageSize() {
    let fixtures = Fixtures()
    fixtures.writeMNIST()
    fixtures.writeGzip("t10k-images-idx3-ubyte.gz", Fixtures.images(count: 20, rows: 16, cols: 16))
    #expect(
      loadError(fixtures)?.description
        == fixtures.folder + "/t10k-images-idx3-ubyte.gz: images are 16×16, expected 28×28")
  }

  @Test func badGzip() {
    let fixtures = Fixtures()
    fixtures.writeMNIST()
    var compressed = Fixtures.gzip(Fixtures.labels(count: 5_010))
    compressed[compressed.count / 2] ^= 0x55
    compressed[compressed.count - 7] ^= 0x55
    fixtures.write("train-labels-idx1-ubyte.gz", compressed)
    let message = loadError(fixtures)?.description ?? ""
    #expect(
      message.hasPrefix(fixtures.folder + "/train-labels-idx1-ubyte.gz: corrupt gzip data"), "\(message)")
  }

  @Test func tooFewTrainingImagesForTheValidationSplit() {
    let fixtures = Fixtures()
    fixtures.writeMNIST(train: 100, test: 10)
    #expect(
      loadError(fixtures)?.description
        == fixtures.folder + "/train-images-idx3-ubyte.gz: only 100 training images; at least 5001 are needed"
    )
  }
}

enum FileManagerShim {
  static func remove(_ path: String) throws { try FileManager.default.removeItem(atPath: path) }
}
