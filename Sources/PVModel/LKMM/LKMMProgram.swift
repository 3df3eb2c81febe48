/// A C litmus thread lowered to the primitives herd7's C semantics
/// (herd/CSem.ml) gives the macros of the kernel's `linux-kernel.def`:
/// `READ_ONCE(X)` is `__load{once}(X)`, `smp_store_release(X,V)` is
/// `__store{release}(*X,V)`, `xchg(X,V)` is `__xchg{mb}(X,V)`, `smp_mb()` is
/// `__fence{mb}`, `atomic_inc(X)` is `__atomic_op(X,+,1)`, and so on
/// (`LKMMLowering` holds the table). `LKMMSemantics` turns a thread into the
/// events herd7 generates for it; `LKMMModel` decides them.
public struct LKMMThread: Sendable {
    public var body: [LKMMStatement]
    /// Register (local variable) names by register number, as the condition names them (`0:r0`).
    public var registerNames: [String]
    public init(body: [LKMMStatement], registerNames: [String]) {
        self.body = body
        self.registerNames = registerNames
    }
}

/// The annotation of a load or store (linux-kernel.bell `Accesses`);
/// `plain` is a C access with none (`*x = 1`, `r0 = *x`).
public enum LKMMAccess: Sendable, Hashable {
    case plain, once, acquire, release
}

/// The annotation of a value-returning read-modify-write: `{mb}` (fully
/// ordered: `F[mb]` on either side of once accesses), `{once}` (`_relaxed`),
/// `{acquire}` (the read is Acquire), `{release}` (the write is Release).
public enum LKMMOrder: String, Sendable, Hashable {
    case mb, once, acquire, release
}

/// The fences of linux-kernel.bell's `Barriers` (`F[mb]` is `smp_mb()`, …).
public enum LKMMFence: String, Sendable, Hashable, CaseIterable {
    case mb, rmb, wmb, barrier
    case rcuLock = "rcu-lock", rcuUnlock = "rcu-unlock", syncRcu = "sync-rcu"
    case beforeAtomic = "before-atomic", afterAtomic = "after-atomic"
    case afterSpinlock = "after-spinlock", afterUnlockLock = "after-unlock-lock"
    /// linux-kernel.bell's `SRCU` events (`srcu_read_lock`, `srcu_read_unlock`,
    /// `synchronize_srcu`): not memory accesses, but each with the location
    /// of its `srcu_struct` and (lock, unlock) a value (`ThreadTrace.srcu`).
    case srcuLock = "srcu-lock", srcuUnlock = "srcu-unlock", syncSrcu = "sync-srcu"
}

/// herd7's C operators (lib/CParser.mly has no unary ones, no `&&`, `||`,
/// shifts), on 64-bit two's complement, compared signed.
public enum LKMMOperator: String, Sendable, Hashable {
    case add = "+", sub = "-", mul = "*", div = "/"
    case and = "&", or = "|", xor = "^"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

public indirect enum LKMMExpression: Sendable {
    case constant(UInt64)
    case register(Int)
    /// The address of a shared location (`&x`, or the parameter `x` of `P0(int *x)`).
    case address(location: Int)
    /// `__load{a}(E)`: the value at address `E`.
    case load(LKMMAccess, LKMMExpression)
    case binary(LKMMOperator, LKMMExpression, LKMMExpression)
    /// `__xchg{o}(X, V)`: the old value.
    case exchange(LKMMExpression, LKMMExpression, LKMMOrder)
    /// `__cmpxchg{o}(X, old, new)`: the old value; a write (and the order) only when it equals `old`.
    case compareExchange(LKMMExpression, expected: LKMMExpression, new: LKMMExpression, LKMMOrder)
    /// `__atomic_op_return{o}(X, op, V)` (`returnsOld` false: the new value)
    /// and `__atomic_fetch_op{o}(X, op, V)` (`returnsOld` true).
    case atomicUpdate(LKMMExpression, LKMMOperator, LKMMExpression, returnsOld: Bool, LKMMOrder)
    /// `atomic_add_unless(X, A, U)` (`returnsBool`: 1 or 0) and `__atomic_add_unless(X, A, U)` (the old value):
    /// unless the value is `U`, `F[mb]`, a once rmw adding `A`, `F[mb]`; else one once read.
    case addUnless(LKMMExpression, add: LKMMExpression, unless: LKMMExpression, returnsBool: Bool)
    /// `spin_trylock(X)`: a lock (1) or `LF`, a read of a taken lock (0).
    case tryLock(LKMMExpression)
    /// `srcu_read_lock(X)`: `__srcu{srcu-lock}(X)`, an `srcu-lock` event whose
    /// value (herd7 CSem: `(proc + 1) * 307 + program_order_index * 599`) it returns.
    case srcuLock(LKMMExpression)
}

public indirect enum LKMMStatement: Sendable {
    case assign(register: Int, LKMMExpression)
    /// An expression evaluated for its effects (`xchg(x, 1);`).
    case evaluate(LKMMExpression)
    /// `__store{a}(X, V)`.
    case store(LKMMAccess, LKMMExpression, LKMMExpression)
    case fence(LKMMFence)
    /// `__atomic_op(X, op, V)` (`atomic_inc`, `atomic_add`, …): R[noreturn], W[once].
    case atomicOp(LKMMExpression, LKMMOperator, LKMMExpression)
    case conditional(LKMMExpression, then: [LKMMStatement], else: [LKMMStatement])
    /// `spin_lock(X)`: `LKR` reading the lock free (0), `LKW` taking it (1), an rmw pair.
    case lock(LKMMExpression)
    /// `spin_unlock(X)`: `UL`, a write freeing it (0).
    case unlock(LKMMExpression)
    /// `srcu_read_unlock(X, V)` (`srcu-unlock`, with the value V) and `synchronize_srcu(X)` (`sync-srcu`).
    case srcu(LKMMFence, LKMMExpression, value: LKMMExpression?)
    /// herd7's program-order index moves on by n (CSem gives each
    /// statement, block, `if` branch and linux-kernel.def macro body one);
    /// no event, no program-order position. Only `srcu_read_lock`'s value shows it.
    case advance(Int)
}

/// Annotations of an LKMM access event (linux-kernel.bell's `Once`,
/// `Acquire`, `Release`, `Noreturn`).
struct LKMMTags: OptionSet, Sendable, Hashable {
    let rawValue: UInt16
    static let once = LKMMTags(rawValue: 1)
    static let acquire = LKMMTags(rawValue: 2)
    static let release = LKMMTags(rawValue: 4)
    static let noReturn = LKMMTags(rawValue: 8)
    /// lock.cat's lock events: a lock's read and write, an unlock, a
    /// failed trylock or `spin_is_locked` true (`LF`, `RL`), `spin_is_locked` false (`RU`).
    static let lockRead = LKMMTags(rawValue: 16)
    static let lockWrite = LKMMTags(rawValue: 32)
    static let unlock = LKMMTags(rawValue: 64)
    static let lockFail = LKMMTags(rawValue: 128)
    /// lock.cat's `ALL-LOCKS` (with `LKR`).
    static let lockEvents: LKMMTags = [.lockRead, .lockWrite, .unlock, .lockFail]

    init(rawValue: UInt16) { self.rawValue = rawValue }
    init(_ a: LKMMAccess) {
        switch a {
        case .plain: self = []
        case .once: self = .once
        case .acquire: self = .acquire
        case .release: self = .release
        }
    }
}

/// How a pointer is kept in a memory cell (cells hold bits): a tag in the
/// top bits, the location and the byte offset below. No C test stores an
/// integer that large.
enum LKMMPointer {
    static let tag: UInt64 = 0x7AD0 << 48

    static func encode(_ v: Value) -> UInt64 {
        guard let l = v.location else { return v.bits }
        return tag | UInt64(l) << 24 | (v.bits & 0xFF_FFFF)
    }

    static func decode(_ bits: UInt64) -> Value {
        guard bits & (0xFFFF << 48) == tag else { return Value(bits: bits) }
        return Value(location: Int(bits >> 24 & 0xFF_FFFF), offset: bits & 0xFF_FFFF)
    }
}
