import Foundation
import RunLog
import RunModel
import Testing

@Suite struct RecordTests {
  @Test func everyEventKindRoundTripsExactly() throws {
    let contents = RunLogReader.parse(LogFixture.bytes)
    #expect(contents.skipped.isEmpty, "\(contents.skipped)")
    #expect(contents.tornTailBytes == 0)
    #expect(contents.records.count == LogFixture.events.count)
    // Re-encoding what was read gives the same bytes: nothing was lost or rounded.
    let context = RunContext(
      command: ["nntop", "train", "spiral"], created: "2026-11-21T00:00:00Z", hostname: "h", cores: 2)
    let again = contents.records.map { RecordEncoder.line($0, context: context) + "\n" }.joined()
    #expect(Array(again.utf8) == LogFixture.bytes)
    #expect(contents.header?.seed == 18_446_744_073_709_551_615)
    #expect(contents.header?.schedule == .step(every: 1, factor: 0.5))
    #expect(contents.summary?.outcome == .earlyStopped)
  }

  @Test func nonFiniteNumbersAreExplicitStrings() {
    let text = String(decoding: LogFixture.bytes, as: UTF8.self)
    #expect(text.contains("\"grad_norm\": \"inf\""))
    #expect(text.contains("\"update_ratio\": \"nan\""))
    #expect(text.contains("\"loss\": \"nan\""))
    // Valid JSON for any parser: every line parses with JSONSerialization.
    for line in text.split(separator: "\n") {
      #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil)
    }
  }

  @Test func headerCarriesCommandMachineAndVersion() throws {
    let first = String(decoding: LogFixture.bytes.prefix { $0 != 0x0A }, as: UTF8.self)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    #expect(object["type"] as? String == "header")
    #expect((object["version"] as? NSNumber)?.intValue == 1)
    #expect(object["command"] as? [String] == ["nntop", "train", "spiral"])
    #expect((object["machine"] as? [String: Any])?["cores"] as? Int == 2)
  }
}
