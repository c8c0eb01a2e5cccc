import Datasets
import Testing

@Suite struct SHA256Tests {
  /// FIPS 180-4's examples and the padding boundaries, through the portable code and, on a CPU
  /// with SHA extensions, through those as well.
  @Test(arguments: [false, true]) func knownVectors(hardware: Bool) {
    func digest(_ bytes: [UInt8]) -> String { SHA256.hexDigest(bytes, hardware: hardware) }
    #expect(digest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(digest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    // 55, 56 and 64 bytes: the padding boundaries.
    #expect(
      digest([UInt8](repeating: 0x61, count: 55))
        == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
    #expect(
      digest([UInt8](repeating: 0x61, count: 56))
        == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    #expect(
      digest([UInt8](repeating: 0x61, count: 64))
        == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    #expect(
      digest([UInt8](repeating: 0x61, count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// Both paths agree on every length up to four blocks and on a large buffer of mixed bytes.
  @Test func hardwareAgreesWithPortable() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    let bytes = (0..<300_000).map { _ -> UInt8 in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
    for length in Array(0...260) + [bytes.count] {
      let slice = Array(bytes.prefix(length))
      #expect(SHA256.hexDigest(slice, hardware: true) == SHA256.hexDigest(slice, hardware: false))
    }
  }
}
