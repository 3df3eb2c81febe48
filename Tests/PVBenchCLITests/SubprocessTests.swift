import Foundation
import PVTestSupport
import Testing

@Suite("the tests' child processes")
struct SubprocessTests {
    @Test("a child that outlives its timeout is stopped, though it never closes its output")
    func timeout() throws {
        // sleep keeps both pipes open until it ends: the timeout must not wait for them.
        let r = try Subprocess.run(URL(fileURLWithPath: "/bin/sleep"), ["60"], timeout: 0.5)
        // SIGTERM, or SIGKILL 5 s later where the child inherited SIGTERM blocked (this test process may block it).
        #expect([SIGTERM, SIGKILL].contains(r.status), "stopped by the timeout, not run to its end (status \(r.status))")
    }

    @Test("a child that ends in time keeps its output and status")
    func inTime() throws {
        let r = try Subprocess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "echo out; echo err >&2; exit 3"], timeout: 60)
        #expect(r.status == 3 && r.stdout == "out\n" && r.stderr == "err\n", "\(r)")
    }
}
