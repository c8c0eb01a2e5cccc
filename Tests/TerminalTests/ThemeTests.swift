import Terminal
import TestSupport
import Testing

@Suite struct ThemeTests {
  @Test func parsesRolesCommentsAndDefaults() throws {
    let text = """
      # a comment
      theme[train]="#ff0000"

      theme[main_bg]=""
        theme[bad] = "#00ff00"
      """
    let theme = try Theme.parse(text, name: "t", path: "t.theme")
    #expect(theme.color(.train) == .rgb(255, 0, 0))
    #expect(theme.color(.bad) == .rgb(0, 255, 0))
    #expect(theme.color(.background) == .terminalDefault)
    #expect(theme.color(.validation) == Theme.builtIn.color(.validation))
  }

  @Test func errorsNameTheLine() {
    func problem(_ text: String) -> String? {
      do {
        _ = try Theme.parse(text, name: "t", path: "themes/t.theme")
        return nil
      } catch {
        return error.description
      }
    }
    #expect(
      problem("theme[train]=\"#ff0000\"\ntheme[sparkle]=\"#000000\"")
        == "themes/t.theme:2: unknown role 'sparkle'")
    #expect(
      problem("theme[train]=\"#ff00\"") == "themes/t.theme:1: '#ff00' is not a colour (#rrggbb or \"\")")
    #expect(
      problem("\n\ncolour=red") == "themes/t.theme:3: expected theme[role]=\"#rrggbb\", got 'colour=red'")
    #expect(problem("theme[train] \"#ff0000\"") == "themes/t.theme:1: expected '=' after theme[train]")
  }

  @Test func shippedThemesParse() throws {
    let catalog = ThemeCatalog(folders: [Repository.themes])
    #expect(Set(catalog.names).isSuperset(of: ["default", "light", "high-contrast", "mono"]))
    #expect(catalog.names.first == "default")
    for entry in catalog.entries {
      let theme = try ThemeCatalog.load(path: entry.path, name: entry.name)
      #expect(theme.isMonochrome == (entry.name == "mono"), "\(entry.name)")
    }
  }
}
