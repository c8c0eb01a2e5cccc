import Terminal

/// A screen with scripted keys that records the frames it is given.
final class ScriptedScreen: Screen {
  var keys: [Key?]
  var frames: [Buffer] = []
  var size: (width: Int, height: Int)
  var onRead: ((Int) -> Void)?
  /// The key waits the loop asked for, in milliseconds.
  var timeouts: [Int] = []
  private var reads = 0

  init(keys: [Key?], size: (Int, Int) = (100, 30)) {
    self.keys = keys
    self.size = size
  }

  func present(_ buffer: Buffer) { frames.append(buffer) }

  func readKey(timeout milliseconds: Int) -> Key? {
    reads += 1
    timeouts.append(milliseconds)
    onRead?(reads)
    return keys.isEmpty ? .character("q") : keys.removeFirst()
  }
}
