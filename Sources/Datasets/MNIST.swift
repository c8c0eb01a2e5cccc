import Dispatch
import Synchronization

/// MNIST from its four IDX files, checked end to end and split 55 000 / 5 000 / 10 000.
///
/// The validation split is drawn from the 60 000 training images with a fixed seed, so every
/// run, on every machine, validates on the same 5 000 images.
public enum MNIST {
  public static let imageSide = 28
  public static let validationCount = 5_000
  /// Seed of the train/validation split: fixed on purpose, independent of the run's `--seed`.
  public static let splitSeed: UInt64 = 0x4D4E_4953_5400

  /// Published SHA-256 digests: gzip files and their inflated contents.
  public static let knownChecksums: [String: String] = [
    "train-images-idx3-ubyte.gz": "0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971",
    "train-labels-idx1-ubyte.gz": "1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203",
    "t10k-images-idx3-ubyte.gz": "1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be",
    "t10k-labels-idx1-ubyte.gz": "b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b",
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
  ]

  /// One of the four files: its name stem and what it must contain.
  struct Part: Sendable {
    let stem: String
    let isImages: Bool
  }
  static let parts = [
    Part(stem: "train-images-idx3-ubyte", isImages: true),
    Part(stem: "train-labels-idx1-ubyte", isImages: false),
    Part(stem: "t10k-images-idx3-ubyte", isImages: true),
    Part(stem: "t10k-labels-idx1-ubyte", isImages: false),
  ]

  struct Loaded: Sendable {
    var file: IDXFile?
    var path = ""
    var error: DatasetError?
    var warning: String?
    var digest = ""
  }

  /// Loads and checks the four files in `folder` (each `.gz` or raw).
  ///
  /// Eight jobs run on the global pool: inflate-and-parse each file, and checksum each file. The
  /// large image file's checksum thus runs on the second core while the first inflates it, which
  /// keeps start-up to the first training step under half a second.
  public static func load(folder: String, verifyChecksums: Bool = true) throws(DatasetError) -> DatasetBundle
  {
    // Each file is read once; its inflation and its checksum then share the bytes (reading it
    // twice kept a second copy of the compressed training images at loading's peak).
    let contents = parts.map { part -> Result<[UInt8], DatasetError> in
      Result { () throws(DatasetError) in try FileReading.readAll(path(of: part, in: folder).path) }
    }
    let results = LockedArray<Loaded>(count: parts.count, initial: Loaded())
    let digests = LockedArray<(String, String?)>(count: parts.count, initial: ("", nil))
    let jobs = verifyChecksums ? 2 * parts.count : parts.count
    // Largest first: the train images' inflation and checksum start before anything else.
    let schedule = [0, 4, 2, 6, 1, 5, 3, 7].filter { $0 < jobs }
    DispatchQueue.concurrentPerform(iterations: jobs) { slot in
      let job = schedule[slot]
      let part = parts[job % parts.count]
      if job < parts.count {
        results[job] = loadPart(part, folder: folder, contents: contents[job])
      } else {
        digests[job - parts.count] = checksum(part, folder: folder, contents: contents[job - parts.count])
      }
    }
    var loaded = results.values
    for item in loaded { if let error = item.error { throw error } }
    if verifyChecksums {
      for (i, (digest, warning)) in digests.values.enumerated() {
        loaded[i].digest = digest
        loaded[i].warning = warning
      }
    }
    let trainImages = loaded[0].file!
    let trainLabels = loaded[1].file!
    let testImages = loaded[2].file!
    let testLabels = loaded[3].file!
    try checkAgreement(
      images: trainImages, imagesPath: loaded[0].path, labels: trainLabels, labelsPath: loaded[1].path)
    try checkAgreement(
      images: testImages, imagesPath: loaded[2].path, labels: testLabels, labelsPath: loaded[3].path)
    guard trainImages.count > validationCount else {
      throw DatasetError(
        .invalid, path: loaded[0].path,
        "only \(trainImages.count) training images; at least \(validationCount + 1) are needed")
    }
    let featureCount = imageSide * imageSide
    let trainStore = ExampleStore(
      features: .bytes(trainImages.data), featureCount: featureCount,
      labels: trainLabels.data.map(Int32.init))
    let testStore = ExampleStore(
      features: .bytes(testImages.data), featureCount: featureCount,
      labels: testLabels.data.map(Int32.init))
    var order = (0..<trainImages.count).map(Int32.init)
    var rng = SplitMix64(seed: splitSeed)
    rng.fisherYates(&order)
    var checksums: [String: String] = [:]
    for item in loaded where !item.digest.isEmpty { checksums[basename(item.path)] = item.digest }
    return DatasetBundle(
      name: "mnist", task: .classification(classes: 10),
      train: DataSplit(store: trainStore, indices: Array(order[validationCount...])),
      validation: DataSplit(store: trainStore, indices: Array(order[..<validationCount])),
      test: DataSplit(store: testStore, indices: (0..<testImages.count).map(Int32.init)),
      imageShape: (imageSide, imageSide), checksums: checksums,
      warnings: loaded.compactMap(\.warning))
  }

  /// The file a part is read from: the `.gz` if there is one, else the raw file.
  static func path(of part: Part, in folder: String) -> (path: String, compressed: Bool) {
    let gzPath = folder + "/" + part.stem + ".gz"
    return FileReading.exists(gzPath) ? (gzPath, true) : (folder + "/" + part.stem, false)
  }

  static func loadPart(_ part: Part, folder: String, contents: Result<[UInt8], DatasetError>) -> Loaded {
    do {
      return try checkedPart(part, folder: folder, bytes: contents.get())
    } catch {
      var failed = Loaded()
      failed.error = error
      return failed
    }
  }

  static func checkedPart(_ part: Part, folder: String, bytes: [UInt8]) throws(DatasetError) -> Loaded {
    var result = Loaded()
    let (path, compressed) = path(of: part, in: folder)
    result.path = path
    let raw = compressed ? try Gzip.decompress(bytes, path: path, declaredSize: IDXFile.declaredSize) : bytes
    let noun = part.isImages ? "images" : "labels"
    let file = try IDXFile.parse(raw, rank: part.isImages ? 3 : 1, noun: noun, path: path)
    if part.isImages && (file.dimensions[1] != imageSide || file.dimensions[2] != imageSide) {
      throw DatasetError(
        .invalid, path: path,
        "images are \(file.dimensions[1])×\(file.dimensions[2]), expected \(imageSide)×\(imageSide)")
    }
    if !part.isImages, let bad = file.data.firstIndex(where: { $0 > 9 }) {
      throw DatasetError(.invalid, path: path, "label \(file.data[bad]) at index \(bad) is out of range 0–9")
    }
    result.file = file
    return result
  }

  /// The file's SHA-256 and, when it differs from the published one, a warning naming the file.
  /// A re-compressed copy can hold the right content, so a `.gz` that differs is inflated and its
  /// content compared as well. Unreadable files give no digest: loading reports them.
  static func checksum(
    _ part: Part, folder: String, contents: Result<[UInt8], DatasetError>
  ) -> (String, String?) {
    let (path, compressed) = path(of: part, in: folder)
    guard let bytes = try? contents.get() else { return ("", nil) }
    let name = basename(path)
    var digest = SHA256.hexDigest(bytes)
    var expected = knownChecksums[name]
    if compressed && digest != expected,
      let raw = try? Gzip.decompress(bytes, path: path, declaredSize: IDXFile.declaredSize)
    {
      digest = SHA256.hexDigest(raw)
      expected = knownChecksums[part.stem]
    }
    guard let expected, digest != expected else { return (digest, nil) }
    return (
      digest, "\(path): checksum mismatch (sha256 \(digest.prefix(12))…, expected \(expected.prefix(12))…)"
    )
  }

  static func checkAgreement(
    images: IDXFile, imagesPath: String, labels: IDXFile, labelsPath: String
  ) throws(DatasetError) {
    if images.count != labels.count {
      throw DatasetError(
        .invalid, path: labelsPath,
        "\(labels.count) labels but \(basename(imagesPath)) has \(images.count) images")
    }
  }

  static func basename(_ path: String) -> String {
    path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
  }
}

/// A fixed-size array that several threads fill at distinct indices.
final class LockedArray<T: Sendable>: Sendable {
  private let storage: Mutex<[T]>
  init(count: Int, initial: T) { storage = Mutex(Array(repeating: initial, count: count)) }
  subscript(index: Int) -> T {
    get { storage.withLock { $0[index] } }
    set { storage.withLock { $0[index] = newValue } }
  }
  var values: [T] { storage.withLock { $0 } }
}
