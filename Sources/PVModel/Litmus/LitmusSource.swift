/// A litmus file split into herd7's sections: header (`ARCH NAME`), init
/// block `{ ... }`, the program table (`P0 | P1 ;` then rows), and the
/// tail (`locations [...]` and the final condition). Comments `(* *)` are
/// blanked out first, keeping line numbers. Line ends are LF, CRLF or CR
/// (herd7's lexers take a CR for a blank).
struct LitmusSource {
    struct Line { var number: Int; var text: String }

    var architecture: String
    var name: String
    var headerLine: Int
    /// Init block text with line numbers.
    var initBlock: [Line]
    /// Program rows (excluding the `P0 | P1 ;` row), columns split.
    var rows: [(number: Int, columns: [String])]
    var threadCount: Int
    var tail: [Line]

    init(_ text: String) throws {
        var cleaned = ""
        var comment = 0
        // Swift reads CRLF as one Character that is not "\n": make every line end LF first.
        var chars = Array(text.replacingLineEnds())
        if chars.last != "\n" { chars.append("\n") }
        var i = 0
        while i < chars.count {
            if chars[i] == "(", i + 1 < chars.count, chars[i + 1] == "*" { comment += 1; cleaned += "  "; i += 2; continue }
            if comment > 0, chars[i] == "*", i + 1 < chars.count, chars[i + 1] == ")" { comment -= 1; cleaned += "  "; i += 2; continue }
            cleaned.append(comment > 0 && chars[i] != "\n" ? " " : chars[i])
            i += 1
        }
        let lines = cleaned.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            Line(number: $0.offset + 1, text: String($0.element))
        }
        guard let h = lines.firstIndex(where: { !$0.text.allSatisfy(\.isWhitespace) }) else {
            throw LitmusError(line: 1, token: "", "empty file")
        }
        try LitmusScope.check(lines, header: h)
        let head = lines[h].text.split(whereSeparator: \.isWhitespace)
        guard head.count >= 2 else { throw LitmusError(line: lines[h].number, token: lines[h].text, "expected 'ARCH NAME'") }
        architecture = String(head[0])
        // herd7 drops a `.litmus` suffix from the name (lib/misc.ml clean_name).
        name = head[1].hasSuffix(".litmus") ? String(head[1].dropLast(7)) : String(head[1])
        headerLine = lines[h].number
        // Init block: from the first '{' to the matching '}'.
        guard let open = lines[(h + 1)...].firstIndex(where: { $0.text.contains("{") }) else {
            throw LitmusError(line: lines[h].number, token: name, "no init block '{ ... }' after the header")
        }
        var initLines: [Line] = []
        var k = open
        var text = String(lines[k].text.drop { $0 != "{" }.dropFirst())
        var depth = 0
        while true {
            var close: String.Index?
            for i in text.indices {
                if text[i] == "{" { depth += 1 }
                if text[i] == "}" {
                    if depth == 0 { close = i; break }
                    depth -= 1
                }
            }
            if let close {
                initLines.append(Line(number: lines[k].number, text: String(text[..<close])))
                text = String(text[text.index(after: close)...])
                break
            }
            initLines.append(Line(number: lines[k].number, text: text))
            k += 1
            guard k < lines.count else { throw LitmusError(line: lines[open].number, token: "{", "init block is not closed") }
            text = lines[k].text
        }
        initBlock = initLines
        // Program table.
        var rest: [Line] = []
        if !text.allSatisfy(\.isWhitespace) { rest.append(Line(number: lines[k].number, text: text)) }
        rest += lines[(k + 1)...]
        guard let p = rest.firstIndex(where: { !$0.text.allSatisfy(\.isWhitespace) }) else {
            throw LitmusError(line: lines[k].number, token: "}", "no program after the init block")
        }
        let procs = LitmusSource.columns(rest[p].text)
        for (i, c) in procs.enumerated() where c != "P\(i)" {
            throw LitmusError(line: rest[p].number, token: c, "expected processor name P\(i)")
        }
        threadCount = procs.count
        var r: [(Int, [String])] = []
        var q = p + 1
        while q < rest.count {
            let t = rest[q].text.trimmingWhitespace()
            if t.isEmpty { q += 1; continue }
            if ["exists", "~exists", "forall", "locations", "filter", "~"].contains(where: { t.hasPrefix($0) }) || !t.contains(";") { break }
            let cols = LitmusSource.columns(rest[q].text)
            if cols.count > threadCount {
                throw LitmusError(line: rest[q].number, token: cols[threadCount], "more columns than processors")
            }
            r.append((rest[q].number, cols + [String](repeating: "", count: threadCount - cols.count)))
            q += 1
        }
        rows = r
        tail = Array(rest[q...])
    }

    /// `a | b | c ;` → ["a", "b", "c"] (trimmed; the final ';' removed).
    static func columns(_ s: String) -> [String] {
        var t = s.trimmingWhitespace()
        if t.hasSuffix(";") { t.removeLast() }
        return t.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
    }
}

extension String {
    /// CRLF and lone CR → LF.
    func replacingLineEnds() -> String {
        guard unicodeScalars.contains("\r") else { return self }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for u in unicodeScalars {
            if u == "\n", previousCR { previousCR = false; continue }
            previousCR = u == "\r"
            out.append(previousCR ? "\n" : u)
        }
        return String(out)
    }

    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
