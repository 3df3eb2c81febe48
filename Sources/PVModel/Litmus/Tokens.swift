/// A token of an init block, condition or instruction, with its line.
struct Token: Equatable {
    var text: String
    var line: Int
}

/// Splits text into words (`[A-Za-z0-9_.:%$#-]` runs) and the punctuation
/// herd7 uses (`/\`, `\/`, `=>`, `~`, `(`, `)`, `[`, `]`, `{`, `}`, `,`, `;`, `=`, `|`).
func tokenize(_ lines: [LitmusSource.Line]) throws -> [Token] {
    var out: [Token] = []
    for l in lines {
        let c = Array(l.text)
        var i = 0
        while i < c.count {
            let ch = c[i]
            if ch.isWhitespace { i += 1; continue }
            if i + 1 < c.count {
                let two = String(c[i ... i + 1])
                if ["/\\", "\\/", "=>"].contains(two) { out.append(Token(text: two, line: l.number)); i += 2; continue }
            }
            if "~()[]{},;=|+".contains(ch) { out.append(Token(text: String(ch), line: l.number)); i += 1; continue }
            if ch.isLetter || ch.isNumber || "_.:%$#-".contains(ch) {
                var j = i
                while j < c.count, c[j].isLetter || c[j].isNumber || "_.:%$#-".contains(c[j]) { j += 1 }
                out.append(Token(text: String(c[i ..< j]), line: l.number))
                i = j
                continue
            }
            throw LitmusError(line: l.number, token: String(ch), "unexpected character")
        }
    }
    return out
}

/// An integer literal: decimal, `0x` hex, optionally negative (two's complement).
func parseInteger(_ s: String) -> UInt64? {
    var t = Substring(s)
    var neg = false
    if t.hasPrefix("-") { neg = true; t = t.dropFirst() }
    let v: UInt64?
    if t.hasPrefix("0x") || t.hasPrefix("0X") { v = UInt64(t.dropFirst(2), radix: 16) } else { v = UInt64(t) }
    guard let x = v else { return nil }
    return neg ? 0 &- x : x
}

/// A cursor over tokens, for the small recursive-descent parsers.
struct TokenStream {
    var tokens: [Token]
    var pos = 0
    var endLine: Int

    var peek: Token? { pos < tokens.count ? tokens[pos] : nil }
    mutating func next() -> Token? {
        defer { pos += 1 }
        return peek
    }
    mutating func accept(_ s: String) -> Bool {
        if peek?.text == s { pos += 1; return true }
        return false
    }
    mutating func expect(_ s: String) throws {
        guard let t = next() else { throw LitmusError(line: endLine, token: "end of input", "expected '\(s)'") }
        guard t.text == s else { throw LitmusError(line: t.line, token: t.text, "expected '\(s)'") }
    }
    mutating func word(_ what: String) throws -> Token {
        guard let t = next() else { throw LitmusError(line: endLine, token: "end of input", "expected \(what)") }
        return t
    }
}
