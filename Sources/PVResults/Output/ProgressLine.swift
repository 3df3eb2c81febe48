#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// A one-line progress display on stderr ("steal-clock relaxed 2/3 … 4.1 s"),
/// shown only when stderr is a terminal (`isatty`), so logs and pipes stay
/// clean. Each update rewrites the line in place; ``finish()`` clears it.
public final class ProgressLine: Sendable {
    private let fd: Int32
    /// Whether anything will be drawn.
    public let isEnabled: Bool
    private let shown = Mutex(false)

    /// - Parameters:
    ///   - fd: where to draw (stderr by default).
    ///   - enabled: override the `isatty(fd)` decision (nil: ask isatty).
    public init(fd: Int32 = STDERR_FILENO, enabled: Bool? = nil) {
        self.fd = fd
        self.isEnabled = enabled ?? (isatty(fd) == 1)
    }

    /// Replaces the line with `text`, cut to the terminal's width.
    public func update(_ text: String) {
        guard isEnabled else { return }
        var width = 0
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 { width = Int(size.ws_col) }
        let line = width > 1 && text.count >= width ? String(text.prefix(width - 1)) : text
        shown.withLock { shown in
            emit("\r\u{1B}[2K" + line)
            shown = true
        }
    }

    /// Clears the line if anything was drawn, leaving the cursor at column 0.
    public func finish() {
        guard isEnabled else { return }
        shown.withLock { shown in
            if shown { emit("\r\u{1B}[2K") }
            shown = false
        }
    }

    private func emit(_ s: String) {
        var bytes = Array(s.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}
