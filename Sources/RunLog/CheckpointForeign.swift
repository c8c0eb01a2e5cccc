/// Files people pass where a checkpoint belongs, named for what they are, with what to pass
/// instead. A run log used to be reported as "bad header: declares 4189022137156379259 header
/// bytes", the first eight characters of its JSON read as a length.
extension CheckpointFile {
  /// What `bytes` is when it is plainly not a safetensors file (nil: it may be one).
  static func notSafetensors(_ bytes: [UInt8], path: String) -> String? {
    let start = bytes.prefix(64)
    if let first = start.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }), first == UInt8(ascii: "{")
    {
      let text = String(decoding: bytes.prefix(4_096), as: UTF8.self)
      if text.contains("\"type\"") && text.contains("\"header\"") {
        let base = path.hasSuffix(".jsonl") ? String(path.dropLast(6)) : path
        return "this is a run log (JSON Lines), not a checkpoint: `nntop replay \(path)` plays it; "
          + "its checkpoints are next to it (\(base).final.safetensors, \(base).epochNNNN.safetensors)"
      }
      return "this is JSON text, not a checkpoint (a .safetensors file starts with an 8-byte header length)"
    }
    if start.starts(with: [0x1F, 0x8B]) { return "this is a gzip file (a dataset?), not a checkpoint" }
    if start.starts(with: [0x00, 0x00, 0x08]) { return "this is an IDX file (MNIST data), not a checkpoint" }
    if start.starts(with: Array("PK".utf8)) || start.first == 0x80 {
      return "this is a PyTorch .pt/.pth file (a zip or pickle), not safetensors: save the state dict "
        + "with safetensors.torch.save_file, then see examples/nntop_pytorch.py to-nntop"
    }
    // A safetensors header is JSON right after its length; a damaged length with the JSON still
    // in place is left to the length check, which says what it declares.
    if bytes.count >= 9, bytes[8] != UInt8(ascii: "{") {
      return "not a safetensors file (no JSON header after the first 8 bytes)"
    }
    return nil
  }

  /// Names a state dict from PyTorch's `nn.Sequential` (tensors `0.weight`, `0.bias`, `2.weight`
  /// … with weights [out, in]) and says exactly how to convert it.
  static func pytorchNaming(_ header: [String: JSONNode]) -> String? {
    let names = header.keys.filter { $0 != "__metadata__" }
    let sequential = names.filter { name in
      let parts = name.split(separator: ".")
      return parts.count == 2 && Int(parts[0]) != nil
    }
    guard !sequential.isEmpty, sequential.count == names.count else { return nil }
    func dimensions(_ name: String) -> Int {
      guard case .object(let entry)? = header[name], case .array(let shape)? = entry["shape"] else {
        return 0
      }
      return shape.count
    }
    // Linear layers' weights are 2-D; BatchNorm1d's are 1-D and come with running statistics.
    let weights = sequential.filter { $0.hasSuffix(".weight") && dimensions($0) == 2 }.sorted {
      Int($0.split(separator: ".")[0])! < Int($1.split(separator: ".")[0])!
    }
    let batchNorm = sequential.contains { $0.hasSuffix(".running_mean") }
    return "this is a PyTorch nn.Sequential state dict (Linear \(weights.joined(separator: ", ")), "
      + "weights [out, in]\(batchNorm ? ", with BatchNorm1d" : "")); nntop names dense layers hidden1, "
      + "hidden2, …, output, stores each weight as [in, out] and needs __metadata__ (dataset, network): "
      + "convert with `python3 examples/nntop_pytorch.py to-nntop FILE OUT.safetensors --dataset NAME "
      + "--activation NAME\(batchNorm ? " --batch-norm" : "")`"
  }
}
