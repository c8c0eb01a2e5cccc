import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Reads one event file as a writer appends to it: each `poll` returns the events of the
/// records completed since the last call.
///
/// As TensorBoard's own data server does: a partial record at the end waits for more bytes; a
/// length whose checksum fails ends the file (nothing after it can be trusted to be a record
/// boundary); a record whose data checksum fails, or that does not decode, also ends the file,
/// with a warning naming the file and the offset, and everything before it is kept.
public final class EventFileReader {
  public let path: String
  /// Whether each record's data checksum is checked (the length's always is).
  public let verifiesData: Bool
  /// Why the file stopped being read, or nil while it is healthy.
  public private(set) var problem: String?
  /// Bytes of the file consumed as whole records.
  public private(set) var offset = 0
  private var fd: Int32 = -1
  private var pending: [UInt8] = []

  /// Records larger than this are taken as damage: real summaries are far smaller, and a length
  /// must not make the reader wait forever or allocate without bound.
  public static let recordLimit = 256 << 20

  public init(path: String, verifiesData: Bool = true) {
    self.path = path
    self.verifiesData = verifiesData
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    if fd < 0 { problem = "\(path): \(String(cString: strerror(errno)))" }
  }

  deinit { if fd >= 0 { close(fd) } }

  /// Whether bytes are waiting that do not yet make a whole record.
  public var hasPartialRecord: Bool { !pending.isEmpty }

  /// The events completed since the last call (none once the file has a problem).
  public func poll() -> [Event] {
    guard problem == nil, fd >= 0 else { return [] }
    if let error = SystemIO.readAvailable(fd, appendingTo: &pending), error.code != EAGAIN {
      problem = "\(path): \(error)"
      return []
    }
    var events: [Event] = []
    var consumed = 0
    pending.withUnsafeBytes { all in
      while problem == nil {
        let rest = UnsafeRawBufferPointer(rebasing: all[consumed...])
        switch Self.frame(rest, verifiesData: verifiesData) {
        case .partial: return
        case .damaged(let what) where offset + consumed == 0:
          problem = "\(path): not an event file (\(what) at its start)"
        case .damaged(let what):
          problem = "\(path): \(what) at offset \(offset + consumed); the records before it are kept"
        case .record(let data, let length):
          do throws(ProtoReader.Malformed) {
            events.append(try Event(decoding: data))
            consumed += length
          } catch {
            problem =
              offset + consumed == 0
              ? "\(path): not an event file (an undecodable event at its start)"
              : "\(path): an undecodable event at offset \(offset + consumed); the records before it are kept"
          }
        }
      }
    }
    pending.removeFirst(consumed)
    offset += consumed
    return events
  }

  enum Frame {
    case partial
    case damaged(String)
    case record(data: UnsafeRawBufferPointer, length: Int)
  }

  /// The first TFRecord of `bytes`: `u64 length · u32 masked crc(length) · data · u32 masked crc(data)`.
  static func frame(_ bytes: UnsafeRawBufferPointer, verifiesData: Bool) -> Frame {
    guard bytes.count >= 12 else { return .partial }
    let length = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
    let lengthCRC = (8..<12).reduce(UInt32(0)) { $0 | UInt32(bytes[$1]) << (8 * UInt32($1 - 8)) }
    guard CRC32C.masked(UnsafeRawBufferPointer(rebasing: bytes[0..<8])) == lengthCRC else {
      return .damaged("a record length that fails its checksum")
    }
    guard length <= UInt64(recordLimit) else { return .damaged("a record of \(length) bytes") }
    let total = 12 + Int(length) + 4
    guard bytes.count >= total else { return .partial }
    let data = UnsafeRawBufferPointer(rebasing: bytes[12..<(12 + Int(length))])
    if verifiesData {
      let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[12 + Int(length) + $1]) << (8 * UInt32($1)) }
      guard CRC32C.masked(data) == stored else { return .damaged("a record whose data fails its checksum") }
    }
    return .record(data: data, length: total)
  }
}
