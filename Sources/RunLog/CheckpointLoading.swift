import NeuralNet
import RunModel
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

extension CheckpointFile {
  /// Reads and checks a checkpoint file.
  public static func read(_ path: String) throws(CheckpointError) -> CheckpointState {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      let missing = errno == ENOENT
      throw CheckpointError(
        path: path, problem: missing ? "no such file" : String(cString: strerror(errno)),
        exitCode: missing ? 66 : 74)
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
    guard case .object(let header) = (try? JSONParser.parse(Substring(headerText))) ?? .null else {
      throw bad("bad header: not a JSON object")
    }
    if let pytorch = pytorchNaming(header) { throw bad(pytorch) }
    guard case .object(let meta)? = header["__metadata__"] else { throw bad("bad header: no __metadata__") }
    var state: CheckpointState
    do {
      state = try metadata.decode(meta)
    } catch {
      throw bad("bad header: \(error.description)")
    }
    state.weightsOnly = trainingKeys.contains { meta[$0] == nil || meta[$0] == .null }
    let spec = state.network
    let plan = spec.layout()
    state.parameters = [Float](repeating: 0, count: plan.count)
    state.runningStats = [Float](repeating: 0, count: plan.statsCount)
    state.firstMoment = [Float](repeating: 0, count: plan.count)
    state.secondMoment = state.optimizer == .adam ? [Float](repeating: 0, count: plan.count) : []
    // Every tensor the architecture needs, with the right shape, inside the data, finite.
    for expected in tensors(state) {
      if expected.name.hasPrefix("optimizer."), header[expected.name] == nil {
        state.weightsOnly = true
        continue
      }
      let values = try tensor(
        expected, header: header, bytes: bytes, dataStart: headerEnd, spec: spec, bad: bad)
      state.place(expected.name, values, plan: plan)
    }
    return state
  }

  /// One tensor's values, after checking its entry against what the architecture expects.
  static func tensor(
    _ expected: (name: String, shape: [Int], values: ArraySlice<Float>), header: [String: JSONNode],
    bytes: [UInt8], dataStart headerEnd: Int, spec: NetworkSpec, bad: (String) -> CheckpointError
  ) throws(CheckpointError) -> [Float] {
    let dataSize = bytes.count - headerEnd
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
      throw bad("tensor \(expected.name) has dtype \(entry.dtype), expected F32")
    }
    guard entry.shape == expected.shape else {
      throw bad(
        "wrong architecture: \(expected.name) is \(entry.shape), \(spec.summary) needs \(expected.shape)")
    }
    let offsets = entry.offsets
    guard offsets.count == 2, offsets[0] >= 0, offsets[1] >= offsets[0] else {
      throw bad("bad offsets for \(expected.name)")
    }
    let begin = offsets[0]
    let end = offsets[1]
    guard end <= dataSize else {
      throw bad("offsets past the end: \(expected.name) ends at byte \(end), the data has \(dataSize)")
    }
    guard end - begin == expected.values.count * 4 else {
      throw bad(
        "bad offsets for \(expected.name): \(end - begin) bytes for \(expected.values.count) floats")
    }
    var values = [Float](repeating: 0, count: expected.values.count)
    for i in 0..<values.count {
      let at = headerEnd + begin + 4 * i
      let bits =
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3])
        << 24
      values[i] = Float(bitPattern: bits)
    }
    if let index = values.firstIndex(where: { !$0.isFinite }) {
      throw bad("non-finite weights: \(expected.name)[\(index)] is \(values[index])")
    }
    return values
  }
}

extension CheckpointState {
  /// Puts a tensor read from a file back where the layout keeps it.
  mutating func place(
    _ name: String, _ values: [Float],
    plan: (layers: [DenseLayout], groups: [ParameterGroup], count: Int, statsCount: Int)
  ) {
    if name == "optimizer.first_moment" {
      firstMoment = values
      return
    }
    if name == "optimizer.second_moment" {
      secondMoment = values
      return
    }
    let parts = name.split(separator: ".")
    guard parts.count == 2, let layer = plan.layers.first(where: { $0.name == parts[0] }) else { return }
    func put(_ offset: Int, into array: inout [Float]) {
      for i in 0..<values.count { array[offset + i] = values[i] }
    }
    switch parts[1] {
    case "weight": put(layer.weights, into: &parameters)
    case "bias": if let b = layer.bias { put(b, into: &parameters) }
    case "gamma": if let g = layer.gamma { put(g, into: &parameters) }
    case "beta": if let b = layer.beta { put(b, into: &parameters) }
    case "running_mean": if let r = layer.runningStats { put(r, into: &runningStats) }
    case "running_var": if let r = layer.runningStats { put(r + layer.fanOut, into: &runningStats) }
    default: break
    }
  }
}
