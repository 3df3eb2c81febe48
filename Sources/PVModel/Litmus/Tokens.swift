/// A token of an init block, condition or instruction, with its line.
struct Token: Equatable {
    var text: String
    var line: Int
}

/// Splits text into words (`[A-Za-z0-9_.:%$#-]` runs, and `+` right after
/// `#` as in herd7's AArch64 `#+1`) and the punctuation herd7 uses (`/\`,
/// `\/`, `=>`, `==`, `!=`, `<>`, `~`, `(`, `)`, `[`, `]`, `{`, `}`, `,`,
/// `;`, `=`, `|`, `+`). `P:REG` written with spaces (`0: X0`, herd7 reads it) is one word.
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
                if ["/\\", "\\/", "=>", "==", "!=", "<>"].contains(two) { out.append(Token(text: two, line: l.number)); i += 2; continue }
            }
            if "~()[]{},;=|+!".contains(ch) { out.append(Token(text: String(ch), line: l.number)); i += 1; continue }
            if ch.isLetter || ch.isNumber || "_.:%$#-".contains(ch) {
                var j = i
                while j < c.count, c[j].isLetter || c[j].isNumber || "_.:%$#-".contains(c[j]) || (c[j] == "+" && c[j - 1] == "#") { j += 1 }
                out.append(Token(text: String(c[i ..< j]), line: l.number))
                i = j
                continue
            }
            throw LitmusError(line: l.number, token: String(ch), "unexpected character")
        }
    }
    return joiningProcessorPrefixes(out)
}

/// `0` `:X0`, `0:` `X0` and `0` `:` `X0` → `0:X0`.
private func joiningProcessorPrefixes(_ tokens: [Token]) -> [Token] {
    func processor(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
    var out: [Token] = []
    for t in tokens {
        if let last = out.last, let f = t.text.first {
            let a = last.text
            if (processor(Substring(a)) && f == ":") || (a.hasSuffix(":") && processor(a.dropLast()) && (f.isLetter || f == "%")) {
                out[out.count - 1].text += t.text
                continue
            }
        }
        out.append(t)
    }
    return out
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
