/// A C litmus test as herd7 7.57 reads it (`C NAME` header): the dialect of
/// the kernel's `tools/memory-model/litmus-tests` and of
/// paulmckrcu/litmus. The tree keeps what the text says — every call is
/// `name(args)`, generically — and leaves the meaning of a primitive
/// (`READ_ONCE`, `smp_mb`, `xchg_acquire`, …) to whoever lowers it: the
/// kernel model reads them through `linux-kernel.def`, the arm64 and x86
/// mappings through the kernel's `arch/*/include/asm`.
///
/// The expression and statement grammar is herd7's (lib/CParser.mly):
/// binary `* / + - & ^ |` and comparisons, casts, `*e`, calls; statements
/// are declarations, assignments, stores through `*`, calls, `if`/`else`,
/// blocks and `while`. herd7 has no unary `!`, `-`, `&`, no `&&`/`||` and
/// no `for` in thread code, so neither has this tree; `&x` appears only in
/// the init block (`int *p = &x;`).
public struct CLitmusTest: Sendable, Hashable {
    /// The name after `C`, as herd7 prints it (a `.litmus` suffix dropped).
    public var name: String
    /// The optional `"..."` doc string between the header and the init block.
    public var docString: String?
    /// The init block, in order: globals and thread-local initial values.
    public var initializations: [CInitialization]
    /// `P0`, `P1`, … in order (`threads[i].index == i`).
    public var threads: [CThread]
    /// `locations [x; 0:r1]`: extra observables printed with each final state.
    public var locations: [CObservable]
    /// `filter p`: executions not satisfying `p` are discarded before the condition.
    public var filter: CProposition?
    /// The final condition.
    public var condition: CCondition

    public init(name: String, docString: String? = nil, initializations: [CInitialization], threads: [CThread],
                locations: [CObservable] = [], filter: CProposition? = nil, condition: CCondition) {
        self.name = name
        self.docString = docString
        self.initializations = initializations
        self.threads = threads
        self.locations = locations
        self.filter = filter
        self.condition = condition
    }

    /// The shared variables: every global the init block names or a thread
    /// parameter names (a parameter `int *x` of any thread is the global `x`),
    /// in order of first appearance.
    public var globalNames: [String] {
        var out: [String] = []
        func add(_ n: String) { if !out.contains(n) { out.append(n) } }
        for i in initializations where i.thread == nil { add(i.name) }
        for t in threads { t.parameters.forEach { add($0.name) } }
        return out
    }
}

/// A C type as written: `int`, `spinlock_t`, `atomic_t`, `struct srcu_struct`,
/// `volatile int *`, `int **`.
public struct CType: Sendable, Hashable, CustomStringConvertible {
    /// The base type's spelling: `int`, `long`, `spinlock_t`, `atomic_t`, `struct srcu_struct`, `uint64_t`, …
    public var base: String
    /// The number of `*`s.
    public var pointerDepth: Int
    /// `volatile` anywhere in the type.
    public var isVolatile: Bool
    /// `const` anywhere in the type.
    public var isConst: Bool

    public init(base: String, pointerDepth: Int = 0, isVolatile: Bool = false, isConst: Bool = false) {
        self.base = base
        self.pointerDepth = pointerDepth
        self.isVolatile = isVolatile
        self.isConst = isConst
    }

    public static let int = CType(base: "int")

    public var description: String {
        (isConst ? "const " : "") + (isVolatile ? "volatile " : "") + base + String(repeating: "*", count: pointerDepth)
    }
}

/// One entry of the init block: `int x = 1;`, `int *p = &x;`, `x1=y1;`
/// (herd7 reads a location name as its address), `spinlock_t s;`,
/// `int a[2];`, or a thread's initial register `0:r1 = 2;`.
public struct CInitialization: Sendable, Hashable {
    /// nil for a global; the thread for `P:name`.
    public var thread: Int?
    public var name: String
    /// The declared type; nil when the entry gives none (`x = 1;`).
    public var type: CType?
    /// `int a[N]`: the element count.
    public var arrayCount: Int?
    /// nil when declared without a value (herd7 starts it at 0).
    public var value: CInitialValue?
    public var line: Int
}

/// An initial value in the init block.
public enum CInitialValue: Sendable, Hashable {
    case integer(Int64)
    /// `&x`, or a bare location name `x` (herd7 reads both as the address of `x`).
    case address(of: String)
    /// `{1, 2}` for an array.
    case integers([Int64])
}

/// `P3(int *x, spinlock_t *s) { ... }`.
public struct CThread: Sendable, Hashable {
    /// The `N` of `PN`.
    public var index: Int
    public var parameters: [CParameter]
    public var body: [CStatement]
    /// The line of `PN`.
    public var line: Int

    public init(index: Int, parameters: [CParameter], body: [CStatement], line: Int) {
        self.index = index
        self.parameters = parameters
        self.body = body
        self.line = line
    }

    /// The locals the body declares (`int r0;`, `int r1 = READ_ONCE(*x);`),
    /// including those in nested blocks, in order.
    public var locals: [(name: String, type: CType)] {
        var out: [(String, CType)] = []
        func walk(_ ss: [CStatement]) {
            for s in ss {
                switch s.kind {
                case let .declaration(t, n, _): out.append((n, t))
                case let .block(b), let .whileLoop(_, b): walk(b)
                case let .ifElse(_, a, b): walk(a); walk(b ?? [])
                case .assignment, .store, .expression: break
                }
            }
        }
        walk(body)
        return out
    }
}

/// A thread parameter: `int *x`, `spinlock_t *s`, `struct srcu_struct *ss`.
/// herd7 binds it to the global of the same name.
public struct CParameter: Sendable, Hashable {
    public var type: CType
    public var name: String
}

/// A statement with the line it starts on.
public struct CStatement: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        /// `int r0;` or `int r0 = e;`.
        case declaration(CType, String, CExpression?)
        /// `r0 = e;` (a local: herd7 keeps it in a register).
        case assignment(String, CExpression)
        /// `*a = e;`: a plain store to the location `a` points to.
        case store(address: CExpression, value: CExpression)
        /// `e;` — almost always a call: `WRITE_ONCE(*x, 1);`, `smp_mb();`,
        /// `spin_lock(s);`; also `(void)e;`.
        case expression(CExpression)
        /// `if (c) s [else s]`; a single statement branch is a one-element list.
        case ifElse(CExpression, [CStatement], [CStatement]?)
        /// `{ ... }`.
        case block([CStatement])
        /// `while (c) s`.
        case whileLoop(CExpression, [CStatement])
    }

    public var kind: Kind
    public var line: Int
    /// For an `if`: which branches were written as a `{ ... }` block (herd7
    /// gives a block a program-order index of its own).
    public var thenIsBlock = false, elseIsBlock = false
    public init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }
}

/// herd7's C binary operators (lib/CParser.mly), loosest first:
/// `|`, `^`, `&`, the comparisons (non-associative), `+ -`, `* /`.
public enum CBinaryOperator: String, Sendable, Hashable, CaseIterable {
    case bitOr = "|"
    case bitXor = "^"
    case bitAnd = "&"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"

    /// Binding strength, higher binds tighter.
    public var precedence: Int {
        switch self {
        case .bitOr: return 1
        case .bitXor: return 2
        case .bitAnd: return 3
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return 4
        case .add, .subtract: return 5
        case .multiply, .divide: return 6
        }
    }

    public var isComparison: Bool { precedence == 4 }
}

/// An expression.
public indirect enum CExpression: Sendable, Hashable {
    /// A decimal constant (herd7's C lexer reads `-?[0-9]+` only).
    case integer(Int64)
    /// A local, a parameter, or a global named directly.
    case variable(String)
    /// `*e`: a plain (unmarked) load from the location `e` points to.
    case load(CExpression)
    case binary(CBinaryOperator, CExpression, CExpression)
    /// `(type) e`; herd7 ignores the cast.
    case cast(CType, CExpression)
    /// `name(args)`: every kernel primitive and any other function.
    case call(CCall)
}

/// A call `name(args)`, with its line so that a refusal can name it.
/// herd7's internal forms `__load{once}(x)` keep their `{...}` annotations.
public struct CCall: Sendable, Hashable {
    public var name: String
    /// `{once}` of `__load{once}(x)`; empty for an ordinary call.
    public var annotations: [String]
    public var arguments: [CExpression]
    public var line: Int

    public init(name: String, annotations: [String] = [], arguments: [CExpression], line: Int) {
        self.name = name
        self.annotations = annotations
        self.arguments = arguments
        self.line = line
    }
}

/// The final condition: `exists p`, `~exists p` or `forall p`.
public struct CCondition: Sendable, Hashable {
    public var quantifier: Condition.Quantifier
    public var proposition: CProposition
    public init(_ quantifier: Condition.Quantifier, _ proposition: CProposition) {
        self.quantifier = quantifier
        self.proposition = proposition
    }
}

/// A proposition over a final state of a C test (n-ary `and`/`or` as
/// herd7 keeps them); `x != v` is `.not(.equals)`.
public typealias CProposition = PropositionOver<CObservable, CConditionValue>

/// What a condition reads: a thread's local `0:r1`, or a global `x` / `a[1]`.
public enum CObservable: Sendable, Hashable {
    case local(thread: Int, name: String)
    case global(name: String, element: Int?)
}

/// The right-hand side of `o = v` in a condition.
public enum CConditionValue: Sendable, Hashable {
    case integer(Int64)
    /// A location name: its address (`0:r1 = x`).
    case address(of: String)
    /// Another observable's final value (`0:r1 = 1:r1`, `[x] = [y]`).
    case observable(CObservable)
}
