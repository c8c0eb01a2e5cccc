import Foundation
import TestSupport
import Testing

@Suite struct ThemeCommandTests {
  @Test func themesAreListed() throws {
    let run = try Run.nntop(["themes"])
    #expect(run.status == 0)
    for name in ["default", "light", "high-contrast", "mono"] { #expect(run.stdout.contains(name + " ")) }
  }

  @Test func unknownAndBadThemesAreErrors() throws {
    let unknown = try Run.nntop(["train", "xor", "--epochs", "1", "--theme", "neon", "--no-log"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.hasPrefix("nntop: error: unknown theme 'neon' (available: default, "))
    let folder = TemporaryFolder("nntop-theme")
    let path = folder.write("broken.theme", text: "theme[train]=\"#00ff00\"\ntheme[glow]=\"#ffffff\"\n")
    let bad = try Run.nntop(["train", "xor", "--epochs", "1", "--theme", path, "--no-log"])
    #expect(bad.status == 65)
    #expect(bad.stderr == "nntop: error: \(path):2: unknown role 'glow'\n")
  }
}
