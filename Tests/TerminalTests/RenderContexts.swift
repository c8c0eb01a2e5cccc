import Terminal

let unicodeContext = RenderContext(theme: .builtIn, glyphs: .unicode)
let asciiContext = RenderContext(theme: .builtIn, glyphs: .ascii)
