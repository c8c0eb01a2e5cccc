import TestSupport
import Testing

@testable import EventFiles

/// The summary forms the real writers produce, decoded from hand-built messages (the fixtures
/// made by the writers themselves are read in WriterFixtureTests).
@Suite struct DecodingTests {
  /// A `Summary.Value` with `tag`, built by `body`, inside an Event at step 7.
  static func event(_ body: (inout ProtoWriter) -> Void) throws -> Event {
    var w = ProtoWriter()
    w.double(ProtoField.Event.wallTime, .nan)
    w.integer(ProtoField.Event.step, 7)
    w.message(ProtoField.Event.summary) { s in
      s.message(ProtoField.Summary.value) { v in
        v.string(ProtoField.Value.tag, "t")
        body(&v)
      }
    }
    return try #require(Event.decoded(w.bytes))
  }

  static func plugin(_ name: String, into v: inout ProtoWriter) {
    v.message(ProtoField.Value.metadata) { m in
      m.message(ProtoField.Metadata.pluginData) { $0.string(ProtoField.PluginData.pluginName, name) }
    }
  }

  static func littleEndian(_ values: [Double]) -> [UInt8] {
    values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt64($0))) } }
  }

  @Test func pyTorchsSimpleValueAndNewStyleScalars() throws {
    let simple = try Self.event { $0.float(ProtoField.Value.simpleValue, 0.25) }
    #expect(simple.values == [TaggedValue(tag: "t", value: .scalar(0.25))])
    #expect(simple.step == 7 && simple.wallTime.isNaN)
    // new_style=True: a DT_FLOAT rank-0 tensor in float_val, plugin "scalars".
    let newStyle = try Self.event { v in
      v.message(ProtoField.Value.tensor) { t in
        t.integer(ProtoField.Tensor.dtype, 1)
        t.message(ProtoField.Tensor.shape) { _ in }
        t.float(ProtoField.Tensor.floatVal, 1.5)
      }
      Self.plugin("scalars", into: &v)
    }
    #expect(newStyle.values == [TaggedValue(tag: "t", value: .scalar(1.5))])
    // double_precision=True: DT_DOUBLE in double_val (packed).
    let double = try Self.event { v in
      Self.plugin("scalars", into: &v)
      v.message(ProtoField.Value.tensor) { t in
        t.integer(ProtoField.Tensor.dtype, 2)
        t.packedDoubles(ProtoField.Tensor.doubleVal, [0.1])
      }
    }
    #expect(double.values == [TaggedValue(tag: "t", value: .scalar(0.1))])
  }

  @Test func tf2ScalarsInTensorContentKeepNonFiniteValues() throws {
    let nan = try Self.event { v in
      Self.plugin("scalars", into: &v)
      v.message(ProtoField.Value.tensor) { t in
        t.integer(ProtoField.Tensor.dtype, 2)
        t.data(ProtoField.Tensor.content, Self.littleEndian([.nan]))
      }
    }
    guard case .scalar(let x)? = nan.values.first?.value else { Issue.record("no scalar"); return }
    #expect(x.isNaN)
    let float = try Self.event { v in
      v.message(ProtoField.Value.tensor) { t in
        t.integer(ProtoField.Tensor.dtype, 1)
        t.data(ProtoField.Tensor.content, [0, 0, 0x80, 0x7F])  // +inf
      }
    }
    #expect(float.values == [TaggedValue(tag: "t", value: .scalar(.infinity))])
  }

  @Test func histogramsLegacyAndTF2FormsGiveTheSameBuckets() throws {
    // HistogramProto: min −1, max 3, limits [0, 1, 1.7976931348623157e308], counts [2, 5, 1].
    let legacy = try Self.event { v in
      v.message(ProtoField.Value.histo) { h in
        h.double(ProtoField.Histogram.min, -1)
        h.double(ProtoField.Histogram.max, 3)
        h.double(ProtoField.Histogram.num, 8)
        h.packedDoubles(ProtoField.Histogram.bucketLimit, [0, 1, .greatestFiniteMagnitude])
        h.packedDoubles(ProtoField.Histogram.bucket, [2, 5, 1])
      }
    }
    let expected: [HistogramBucket] = [
      HistogramBucket(left: -1, right: 0, count: 2), HistogramBucket(left: 0, right: 1, count: 5),
      HistogramBucket(left: 1, right: 3, count: 1),
    ]
    // Its count alone (sum and sum of squares left at 0) cannot be of values from −1 to 3.
    #expect(legacy.values == [TaggedValue(tag: "t", value: .histogram(Histogram(buckets: expected)))])
    // TF2: a DT_DOUBLE [3, 3] tensor of (left, right, count) rows, plugin "histograms".
    let tf2 = try Self.event { v in
      Self.plugin("histograms", into: &v)
      v.message(ProtoField.Value.tensor) { t in
        t.integer(ProtoField.Tensor.dtype, 2)
        t.message(ProtoField.Tensor.shape) { s in
          for size in [3, 3] {
            s.message(ProtoField.Shape.dim) { $0.integer(ProtoField.Dim.size, Int64(size)) }
          }
        }
        t.data(ProtoField.Tensor.content, Self.littleEndian([-1, 0, 2, 0, 1, 5, 1, 3, 1]))
      }
    }
    #expect(tf2.values == [TaggedValue(tag: "t", value: .histogram(Histogram(buckets: expected)))])
  }

  /// PyTorch's `add_histogram` writes the exact sum and sum of squares: they are kept, and a
  /// mean outside the range (a damaged or careless writer) is not.
  @Test func aLegacyHistogramsExactMomentsAreKeptWhenTheyFitItsRange() throws {
    func histogram(sum: Double, sumOfSquares: Double) throws -> Histogram? {
      let event = try Self.event { v in
        v.message(ProtoField.Value.histo) { h in
          h.double(ProtoField.Histogram.min, 4.98)
          h.double(ProtoField.Histogram.max, 5.02)
          h.double(ProtoField.Histogram.num, 4)
          h.double(ProtoField.Histogram.sum, sum)
          h.double(ProtoField.Histogram.sumSquares, sumOfSquares)
          h.packedDoubles(ProtoField.Histogram.bucketLimit, [5.5])
          h.packedDoubles(ProtoField.Histogram.bucket, [4])
        }
      }
      guard case .histogram(let h) = event.values.first?.value else { return nil }
      return h
    }
    // 4.98, 4.99, 5.01, 5.02: sum 20, squares 100.001; μ 5, σ √(0.001 / 4) = 0.0158.
    let exact = try #require(try histogram(sum: 20, sumOfSquares: 100.001))
    let moments = try #require(exact.moments)
    #expect(moments.mean == 5 && abs(moments.standardDeviation - 0.015_811_388) < 1e-6)
    #expect(try histogram(sum: 40, sumOfSquares: 400)?.moments == nil)
  }

  @Test func textsImagesAndDamage() throws {
    let text = try Self.event { v in
      Self.plugin("text", into: &v)
      v.message(ProtoField.Value.tensor) { t in
        t.integer(ProtoField.Tensor.dtype, 7)
        t.string(ProtoField.Tensor.stringVal, "lr 0.1 → 0.05")
      }
    }
    #expect(text.values == [TaggedValue(tag: "t", value: .text("lr 0.1 → 0.05"))])
    // An image (field 4) is skipped, not an error.
    let image = try Self.event { $0.data(4, [1, 2, 3]) }
    #expect(image.values.isEmpty && image.step == 7)
    // A length running past the message is an error, not a read past the end.
    let bad: [UInt8] = [0x2A, 0x7F, 0x0A]
    #expect(Event.decoded(bad) == nil)
  }

  @Test func everyFormWrittenReadsBackExactly() throws {
    let folder = TemporaryFolder()
    let writer = try EventFileWriter(folder: folder.path, wallTime: 10, host: "h")
    let values: [TaggedValue] = [
      TaggedValue(tag: "loss", value: .scalar(0.5)),
      TaggedValue(
        tag: "activations/hidden1",
        value: .histogram(
          Histogram(
            buckets: [
              HistogramBucket(left: 0, right: 1, count: 3), HistogramBucket(left: 1, right: 2, count: 4),
            ], moments: HistogramMoments(count: 7, sum: 8.25, sumOfSquares: 12.5)))),
      TaggedValue(tag: "knobs", value: .text("lr 0.1 → 0.05 (key l)")),
    ]
    writer.append(Event(wallTime: 11, step: 42, values: values))
    try writer.flush()
    let reader = EventFileReader(path: writer.path)
    let events = reader.poll()
    #expect(events.count == 2 && events[0].fileVersion == "brain.Event:2")
    #expect(events[1] == Event(wallTime: 11, step: 42, values: values))
  }
}
