import Datasets
import Foundation
import TestSupport
import Testing

/// A FIFO (or a device, a folder) where a data file should be: refused at once, where opening or
/// reading it would block forever or never end.
@Suite struct NonRegularFileTests {
  @Test func aFIFOIsRefusedWithoutBlocking() throws {
    let folder = TemporaryFolder("nntop-fifo")
    let path = folder.file("train-labels-idx1-ubyte.gz")
    #expect(mkfifo(path, 0o600) == 0)
    for (target, reason) in [
      (path, "is a FIFO"), ("/dev/zero", "is a device"), (folder.path, "is a directory"),
    ] {
      do {
        _ = try FileReading.readAll(target)
        Issue.record("read \(target)")
      } catch {
        #expect(error.description == "\(target): \(reason), not a regular file")
        #expect(error.exitCode == 65)
      }
    }
  }
}
