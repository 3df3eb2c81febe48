/// herd7's C lexer (lib/CLexer.mll) for thread code and a C test's init
/// block: names (`%name` too), constants `-?[0-9]+` (so `r0-1` is `r0`
/// then `-1`, which herd7's grammar then refuses, as this parser does),
/// `/* */` and `//` comments, and the punctuation of herd7's C grammar.
/// Any other character (`!`, `"`, `'`, `?`, `.`) is an error, as in herd7.
enum CLitmusLexer {
    static let punctuation2: Set<String> = ["==", "!=", "<=", ">="]
    static let punctuation1: Set<Character> = [";", ":", ",", "|", "*", "/", "+", "-", "^", "&", "(", ")", "{", "}", "=", "<", ">", "[", "]"]

    static func tokens(_ lines: [LitmusSource.Line]) throws -> [Token] {
        var out: [Token] = []
        var inComment = false
        for l in lines {
            let c = Array(l.text)
            var i = 0
            while i < c.count {
                if inComment {
                    if c[i] == "*", i + 1 < c.count, c[i + 1] == "/" { inComment = false; i += 2 } else { i += 1 }
                    continue
                }
                let ch = c[i]
                if ch.isWhitespace { i += 1; continue }
                if ch == "/", i + 1 < c.count, c[i + 1] == "*" { inComment = true; i += 2; continue }
                if ch == "/", i + 1 < c.count, c[i + 1] == "/" { break }
                if ch.isNumber || (ch == "-" && i + 1 < c.count && c[i + 1].isNumber) {
                    var j = i + 1
                    while j < c.count, c[j].isNumber { j += 1 }
                    out.append(Token(text: String(c[i ..< j]), line: l.number))
                    i = j
                    continue
                }
                if isNameStart(ch) || (ch == "%" && i + 1 < c.count && isNameStart(c[i + 1])) {
                    var j = i + 1
                    while j < c.count, isNameStart(c[j]) || c[j].isNumber { j += 1 }
                    out.append(Token(text: String(c[i ..< j]), line: l.number))
                    i = j
                    continue
                }
                if i + 1 < c.count, punctuation2.contains(String(c[i ... i + 1])) {
                    out.append(Token(text: String(c[i ... i + 1]), line: l.number))
                    i += 2
                    continue
                }
                if punctuation1.contains(ch) { out.append(Token(text: String(ch), line: l.number)); i += 1; continue }
                throw LitmusError(line: l.number, token: String(ch), "unexpected character (herd7's C has no such operator)")
            }
        }
        return out
    }

    static func isNameStart(_ ch: Character) -> Bool { ch.isASCII && (ch.isLetter || ch == "_") }
    static func isName(_ s: String) -> Bool { s.first.map(isNameStart) ?? false || (s.first == "%" && s.count > 1) }
    static func isConstant(_ s: String) -> Bool { Int64(s) != nil }
}
