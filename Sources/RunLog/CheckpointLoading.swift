import NeuralNet
import RunModel
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

extension CheckpointFile {
  /// Reads and checks a checkpoint file.
  public static func read(_ path: String) throws(CheckpointError) -> CheckpointState {
    let fd: Int32
    switch SystemIO.openRegularFile(path) {
    case .success(let opened): fd = opened
    case .failure(let failure):
      throw CheckpointError(
        path: path, problem: failure.description,
        exitCode: failure == .missing ? 66 : { if case .notRegular = failure { 65 } else { 74 } }())
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    if let failure = SystemIO.readAvailable(fd, appendingTo: &bytes) {
      throw CheckpointError(path: path, problem: "read error: \(failure)", exitCode: 74)
    }
    return try decode(bytes, path: path)
  }

  public static func decode(_ bytes: [UInt8], path: String) throws(CheckpointError) -> CheckpointState {
    func bad(_ problem: String) -> CheckpointError {
      CheckpointError(path: path, problem: problem, exitCode: 65)
    }
    guard bytes.count >= 8 else {
      throw bad("bad header: \(bytes.count) bytes, too short for a safetensors file")
    }
    if let foreign = notSafetensors(bytes, path: path) { throw bad(foreign) }
    var length: UInt64 = 0
    for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    guard length <= UInt64(bytes.count - 8), length <= 100_000_000 else {
      throw bad(
        "bad header: declares \(length) header bytes, the file has \(bytes.count - 8) after the length")
    }
    let headerEnd = 8 + Int(length)
    let headerText = String(decoding: bytes[8..<headerEnd], as: UTF8.self)
    let parsed: JSONNode
    do {
      parsed = try JSONParser.parse(Substring(headerText))
    } catch {
      throw bad("bad header: \(error.description)")
    }
    guard case .object(let header) = parsed else { throw bad("bad header: not a JSON object") }
    if let pytorch = pytorchNaming(header) { throw bad(pytorch) }
    guard case .object(let meta)? = header["__metadata__"] else { throw bad("bad header: no __metadata__") }
    var state: CheckpointState
    do {
      state = try metadata.decode(meta)
    } catch {
      throw bad("bad header: \(error.description)")
    }
    // The metadata's sizes are in range, so the layout cannot overflow; every tensor entry is
    // then checked against it and the tensors must tile the data exactly, so nothing larger than
    // the file is allocated.
    state.weightsOnly = trainingKeys.contains { meta[$0] == nil || meta[$0] == .null }
    // A weights-only file (for evaluation) may leave out the optimiser's moments.
    var plan = plan(state.network, state.optimizer)
    plan.removeAll { expected in
      switch expected.home {
      case .firstMoment, .secondMoment: return header[expected.name] == nil
      default: return false
      }
    }
    if plan.count < CheckpointFile.plan(state.network, state.optimizer).count { state.weightsOnly = true }
    let dataSize = bytes.count - headerEnd
    var ranges: [(name: String, bytes: Range<Int>)] = []
    for expected in plan {
      let range = try byteRange(expected, header: header, dataSize: dataSize, spec: state.network, bad: bad)
      ranges.append((expected.name, range))
    }
    let known = Set(plan.map(\.name) + ["__metadata__"])
    if let stranger = header.keys.filter({ !known.contains($0) }).min() {
      throw bad(
        "wrong architecture: unexpected tensor \(stranger.printable(limit: 60)) for \(state.network.summary)")
    }
    if let problem = tilingProblem(ranges, dataSize: dataSize) { throw bad(problem) }
    let counts = state.network.layout()
    state.parameters = [Float](repeating: 0, count: counts.count)
    state.runningStats = [Float](repeating: 0, count: counts.statsCount)
    state.firstMoment = []
    state.secondMoment = []
    for (tensor, range) in zip(plan, ranges) {
      let values = floats(bytes, from: headerEnd + range.bytes.lowerBound, count: range.bytes.count / 4)
      if let index = values.firstIndex(where: { !$0.isFinite }) {
        throw bad("non-finite weights: \(tensor.name)[\(index)] is \(values[index])")
      }
      state.put(values, at: tensor.home)
    }
    // Moments a weights-only file left out start at zero.
    if state.firstMoment.isEmpty { state.firstMoment = [Float](repeating: 0, count: counts.count) }
    if state.optimizer == .adam && state.secondMoment.isEmpty {
      state.secondMoment = [Float](repeating: 0, count: counts.count)
    }
    return state
  }

  /// One tensor's byte range in the data, after checking its entry against what the
  /// architecture expects.
  static func byteRange(
    _ expected: (name: String, shape: [Int], home: Home), header: [String: JSONNode], dataSize: Int,
    spec: NetworkSpec, bad: (String) -> CheckpointError
  ) throws(CheckpointError) -> Range<Int> {
    guard case .object(let t)? = header[expected.name] else {
      throw bad("wrong architecture: no tensor \(expected.name) for \(spec.summary)")
    }
    let entry: TensorEntry
    do {
      entry = try tensorEntry.decode(t)
    } catch {
      throw bad("bad header: \(expected.name): \(error.description)")
    }
    guard entry.dtype == "F32" else {
      throw bad("tensor \(expected.name) has dtype \(entry.dtype.printable(limit: 20)), expected F32")
    }
    guard entry.shape == expected.shape else {
      throw bad(
        "wrong architecture: \(expected.name) is \("\(entry.shape)".printable(limit: 60)), \(spec.summary) needs \(expected.shape)"
      )
    }
    let offsets = entry.offsets
    guard offsets.count == 2, offsets[0] >= 0, offsets[1] >= offsets[0] else {
      throw bad("bad offsets for \(expected.name)")
    }
    guard offsets[1] <= dataSize else {
      throw bad(
        "offsets past the end: \(expected.name) ends at byte \(offsets[1]), the data has \(dataSize)")
    }
    // The shape's element count: the layout's, which fits in an Int (sizes are in range).
    let count = expected.shape.reduce(1, *)
    guard offsets[1] - offsets[0] == count * 4 else {
      throw bad("bad offsets for \(expected.name): \(offsets[1] - offsets[0]) bytes for \(count) floats")
    }
    return offsets[0]..<offsets[1]
  }

  /// What is wrong with how the tensors cover the data, or nil: the safetensors format requires
  /// them to tile it exactly, with no overlap, no hole and nothing after the last one.
  static func tilingProblem(_ ranges: [(name: String, bytes: Range<Int>)], dataSize: Int) -> String? {
    var end = 0
    var previous = ""
    for tensor in ranges.sorted(by: { $0.bytes.lowerBound < $1.bytes.lowerBound }) {
      if tensor.bytes.lowerBound < end {
        return "overlapping data_offsets: \(tensor.name) starts inside \(previous)"
      }
      if tensor.bytes.lowerBound > end {
        return
          "a hole in the data: bytes \(end)..<\(tensor.bytes.lowerBound) before \(tensor.name) belong to no tensor"
      }
      end = tensor.bytes.upperBound
      previous = tensor.name
    }
    return end < dataSize ? "\(dataSize - end) bytes of trailing data after the last tensor" : nil
  }

  /// `count` little-endian float32 values starting at byte `start`.
  static func floats(_ bytes: [UInt8], from start: Int, count: Int) -> [Float] {
    var values = [Float](repeating: 0, count: count)
    for i in 0..<count {
      let at = start + 4 * i
      let bits =
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3])
        << 24
      values[i] = Float(bitPattern: bits)
    }
    return values
  }
}

extension CheckpointState {
  /// Puts a tensor read from a file back where the layout keeps it.
  mutating func put(_ values: [Float], at home: CheckpointFile.Home) {
    switch home {
    case .parameters(let range): parameters.replaceSubrange(range, with: values)
    case .statistics(let range): runningStats.replaceSubrange(range, with: values)
    case .firstMoment: firstMoment = values
    case .secondMoment: secondMoment = values
    }
  }
}
