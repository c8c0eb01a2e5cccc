import RunModel
import Terminal

/// Plays a recorded run back at a chosen speed, with pause and seeking by epoch.
///
/// The playhead is a time in the run; each tick moves it by the wall time elapsed × speed and
/// hands out the events it passed. Seeking returns how many events the state must be rebuilt from
/// (state is a fold over events, so rebuilding from the start is exact and, for thousands of
/// events, takes milliseconds).
///
/// Time the recorded run spent paused is not played as dead time: a pause is shown for at most
/// `pauseHold` seconds of wall time, whatever the speed, then the playhead jumps to the next event
/// (an 18 s pause at 4× used to hold the screen on PAUSED for 4.5 s).
public final class ReplayPlayer {
  public let events: [TimedEvent]
  public private(set) var position = 0
  public private(set) var playhead = 0.0
  public private(set) var playing = true
  public private(set) var speedIndex: Int
  /// 0.5× … 64×, then as fast as possible.
  public static let speeds: [Double] = [0.5, 1, 2, 4, 8, 16, 32, 64, .infinity]

  /// The speed a replay starts at when none is asked for: 4×, or slower for a short run so
  /// that the replay lasts at least 10 s (down to 1×). At 4× a 5 s lesson was over in 1.2 s,
  /// before anyone had looked at the screen.
  public static func defaultSpeed(duration: Double) -> Double {
    speeds.filter { $0 >= 1 && $0 <= 4 }.last { duration / $0 >= 10 } ?? 1
  }
  /// Indices just after each epoch-end event: where "seek by an epoch" lands.
  public let epochBoundaries: [Int]
  /// Where "to the start" lands: just after the header, so the run's description stays on screen.
  public let startIndex: Int
  /// Whether the recorded run was paused after event `i` (the gap before event `i + 1` is a pause).
  private let pausedAfter: [Bool]
  /// Wall seconds spent so far in the current recorded pause.
  private var pauseWall = 0.0
  /// Recorded seconds of pause skipped by the last `advance` (0 if none), for the status line.
  public private(set) var skippedPause = 0.0
  /// The longest a recorded pause is shown, in wall seconds.
  public static let pauseHold = 1.0

  public init(events: [TimedEvent], speed: Double = 1) {
    self.events = events
    speedIndex = ReplayPlayer.speeds.firstIndex { $0 >= speed } ?? ReplayPlayer.speeds.count - 1
    var boundaries: [Int] = []
    for (i, e) in events.enumerated() { if case .epochEnded = e.event { boundaries.append(i + 1) } }
    epochBoundaries = boundaries
    startIndex =
      (events.firstIndex { if case .started = $0.event { true } else { false } }).map { $0 + 1 } ?? 0
    var paused = false
    pausedAfter = events.map { timed in
      switch timed.event {
      case .paused: paused = true
      case .resumed, .finished: paused = false
      default: break
      }
      return paused
    }
  }

  public var speed: Double { ReplayPlayer.speeds[speedIndex] }
  /// The latest record's time (a log's records are in time order, but a writer's last word
  /// after an exception may carry an earlier clock: the badge read "0:01/0:00").
  public var duration: Double { events.map(\.time).max() ?? 0 }
  public var atEnd: Bool { position >= events.count }

  /// Moves the playhead by `wall` seconds and returns the range of events now due.
  public func advance(wall: Double) -> Range<Int> {
    guard playing, !atEnd else { return position..<position }
    let start = position
    skippedPause = 0
    if speed.isInfinite {
      position = min(events.count, position + 400)
    } else {
      playhead += wall * speed
      if position > 0, pausedAfter[position - 1] {
        pauseWall += wall
        if pauseWall >= ReplayPlayer.pauseHold, events[position].time > playhead {
          skippedPause = events[position].time - playhead
          playhead = events[position].time
        }
      }
      while position < events.count && events[position].time <= playhead { position += 1 }
    }
    if position > start {
      playhead = max(playhead, events[position - 1].time)
      pauseWall = 0
    }
    if atEnd { playing = false }
    return start..<position
  }

  public func togglePlaying() {
    if atEnd {
      playing = false
      return
    }
    playing.toggle()
  }

  public func faster() { speedIndex = min(ReplayPlayer.speeds.count - 1, speedIndex + 1) }
  public func slower() { speedIndex = max(0, speedIndex - 1) }

  /// Moves to the epoch boundary `epochs` away (negative: back) and returns the new position.
  public func seek(epochs: Int) -> Int {
    let target: Int
    if epochs > 0 {
      target = epochBoundaries.first { $0 > position } ?? events.count
    } else {
      // Back from inside an epoch goes to its start; from a boundary, to the previous one. The
      // run's closing events (test evaluation, checkpoint, finish) are not an epoch: back from the
      // end goes to the end of the second-to-last epoch, not to just before the finish.
      target =
        epochBoundaries.last { boundary in
          boundary < position
            && events[boundary..<position].contains { if case .progress = $0.event { true } else { false } }
        } ?? startIndex
    }
    return jump(to: target)
  }

  @discardableResult
  public func jump(to index: Int) -> Int {
    position = max(0, min(events.count, index))
    pauseWall = 0
    playhead = position > 0 ? events[position - 1].time : 0
    return position
  }

  /// "▶ 2×  1:05 / 4:12" for the header.
  public var badge: String {
    let state = atEnd ? "END" : (playing ? "▶" : "❚❚")
    let rate = speed.isInfinite ? "max" : NumberFormat.compact(speed) + "×"
    let total = duration
    return
      "REPLAY \(state) \(rate) \(NumberFormat.duration(min(playhead, total)))/\(NumberFormat.duration(total))"
  }
}
