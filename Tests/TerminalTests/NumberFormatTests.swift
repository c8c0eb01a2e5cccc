import Terminal
import Testing

@Suite struct NumberFormatTests {
  @Test func compact() {
    #expect(NumberFormat.compact(0.05) == "0.05")
    #expect(NumberFormat.compact(0.0523) == "0.0523")
    #expect(NumberFormat.compact(1.25) == "1.25")
    #expect(NumberFormat.compact(312.4) == "312")
    #expect(NumberFormat.compact(12.34) == "12.3")
    #expect(NumberFormat.compact(1.2e-5) == "1.2e-05")
    #expect(NumberFormat.compact(3.4e6) == "3.4e+06")
    #expect(NumberFormat.compact(-0.25) == "-0.25")
    #expect(NumberFormat.compact(0) == "0")
    #expect(NumberFormat.compact(.nan) == "nan")
    #expect(NumberFormat.compact(9.96e-5) == "1e-04")
  }

  @Test func durationsCountsPercents() {
    #expect(NumberFormat.duration(65) == "1:05")
    #expect(NumberFormat.duration(3723) == "1:02:03")
    #expect(NumberFormat.count(128_511) == "128.5k")
    #expect(NumberFormat.count(1_234_567) == "1.23M")
    #expect(NumberFormat.count(950) == "950")
    #expect(NumberFormat.percent(0.97523) == "97.52%")
  }

  @Test func axisLabelsGetTheDecimalsThatTellThemApart() {
    #expect(NumberFormat.distinct([0.5, 0.25, 0]) == ["0.5", "0.25", "0"])
    #expect(NumberFormat.distinct([2.3035, 2.3015, 2.2995]) == ["2.304", "2.302", "2.3"])
    #expect(NumberFormat.distinct([2.30105, 2.30102, 2.30099]) == ["2.30105", "2.30102", "2.30099"])
    // Equal values stay equal, and non-finite ones are left as they are.
    #expect(NumberFormat.distinct([1, 1, 1]) == ["1", "1", "1"])
    #expect(NumberFormat.distinct([.nan, 2.3015, 2.2995]) == ["nan", "2.302", "2.3"])
  }
}
