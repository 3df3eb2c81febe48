/// The kernel primitives a C litmus test calls, as `linux-kernel.def`
/// (tools/memory-model) defines them: what each does to memory, and with
/// which ordering. Read from the call's name; a name that is not here is
/// not one the mappings know.
enum KernelPrimitive: Equatable {
    /// How the primitive is ordered: `_relaxed` (`{once}`), `_acquire`,
    /// `_release`, or fully ordered (`{mb}`: the name without a suffix).
    enum Order: Equatable { case relaxed, acquire, release, full }
    /// How the primitive names the location: `READ_ONCE(*x)` takes the
    /// location itself (an lvalue), `smp_load_acquire(x)` its address.
    enum Operand: Equatable { case lvalue, pointer }
    enum Fence: Equatable { case mb, rmb, wmb, beforeAtomic, afterAtomic, compiler, rcuReadSide }
    enum RMW: Equatable {
        /// `atomic_add(i, v)`: no value returned.
        case void
        /// `atomic_add_return(i, v)`: the new value.
        case newValue
        /// `atomic_fetch_add(i, v)`: the old value.
        case oldValue
        /// `atomic_dec_and_test(v)`: the new value == 0; `atomic_add_negative`: < 0.
        case newIsZero, newIsNegative
    }

    /// READ_ONCE, rcu_dereference, smp_load_acquire, atomic_read{,_acquire}.
    case load(Operand, acquire: Bool)
    /// WRITE_ONCE, rcu_assign_pointer, smp_store_release, atomic_set{,_release}.
    case store(Operand, release: Bool)
    /// smp_store_mb(x, v): WRITE_ONCE then smp_mb().
    case storeMb
    case fence(Fence)
    /// xchg{,_relaxed,_acquire,_release}, atomic_xchg*.
    case exchange(Order)
    /// cmpxchg*, atomic_cmpxchg*.
    case compareExchange(Order)
    /// atomic_{add,sub,inc,dec}* and friends: `amount` is the constant of
    /// inc/dec, nil when the first argument gives it; `subtract` negates it.
    case atomicAdd(amount: Int64?, subtract: Bool, returns: RMW, Order)

    /// The primitive `name` is, or nil when it is not one the mappings know.
    init?(_ name: String) {
        switch name {
        case "READ_ONCE", "rcu_dereference": self = .load(.lvalue, acquire: false)
        case "atomic_read": self = .load(.pointer, acquire: false)
        case "smp_load_acquire", "atomic_read_acquire": self = .load(.pointer, acquire: true)
        case "WRITE_ONCE": self = .store(.lvalue, release: false)
        case "rcu_assign_pointer": self = .store(.lvalue, release: true)
        case "atomic_set": self = .store(.pointer, release: false)
        case "smp_store_release", "atomic_set_release": self = .store(.pointer, release: true)
        case "smp_store_mb": self = .storeMb
        case "smp_mb": self = .fence(.mb)
        case "smp_rmb": self = .fence(.rmb)
        case "smp_wmb": self = .fence(.wmb)
        case "smp_mb__before_atomic": self = .fence(.beforeAtomic)
        case "smp_mb__after_atomic": self = .fence(.afterAtomic)
        case "barrier": self = .fence(.compiler)
        case "rcu_read_lock", "rcu_read_unlock": self = .fence(.rcuReadSide)
        default:
            guard let p = Self.rmw(name) else { return nil }
            self = p
        }
    }

    private static func rmw(_ name: String) -> KernelPrimitive? {
        var base = name
        var order = Order.full
        for (suffix, o) in [("_relaxed", Order.relaxed), ("_acquire", .acquire), ("_release", .release)] where base.hasSuffix(suffix) {
            base = String(base.dropLast(suffix.count))
            order = o
        }
        if base.hasPrefix("atomic_") { base = String(base.dropFirst(7)) } else if base != "xchg", base != "cmpxchg" { return nil }
        switch base {
        case "xchg": return .exchange(order)
        case "cmpxchg": return .compareExchange(order)
        default: break
        }
        // atomic_<op>, atomic_<op>_return, atomic_fetch_<op>, atomic_<op>_and_test, atomic_add_negative.
        var returns = RMW.void
        if base.hasPrefix("fetch_") { base = String(base.dropFirst(6)); returns = .oldValue }
        else if base.hasSuffix("_return") { base = String(base.dropLast(7)); returns = .newValue }
        else if base.hasSuffix("_and_test") { base = String(base.dropLast(9)); returns = .newIsZero }
        else if base == "add_negative" { base = "add"; returns = .newIsNegative }
        // The void forms and the tests exist only fully ordered or (void) relaxed, as in linux-kernel.def.
        if returns == .void, order != .full { return nil }
        if returns == .newIsZero || returns == .newIsNegative, order != .full { return nil }
        if returns == .newIsZero, base == "add" { return nil }
        let voidOrder: Order = returns == .void ? .relaxed : order
        switch base {
        case "add": return .atomicAdd(amount: nil, subtract: false, returns: returns, voidOrder)
        case "sub": return .atomicAdd(amount: nil, subtract: true, returns: returns, voidOrder)
        case "inc": return returns == .newIsNegative ? nil : .atomicAdd(amount: 1, subtract: false, returns: returns, voidOrder)
        case "dec": return returns == .newIsNegative ? nil : .atomicAdd(amount: 1, subtract: true, returns: returns, voidOrder)
        default: return nil
        }
    }

    /// Arguments the call takes.
    var arity: Int {
        switch self {
        case .load: return 1
        case .store, .storeMb, .exchange: return 2
        case .fence: return 0
        case .compareExchange: return 3
        case let .atomicAdd(amount, _, _, _): return amount == nil ? 2 : 1
        }
    }

    /// True when the call is a statement in linux-kernel.def (`{ ... }`),
    /// false when it is an expression; herd7 refuses the other use.
    var isProcedure: Bool {
        switch self {
        case .store, .storeMb, .fence: return true
        case let .atomicAdd(_, _, returns, _): return returns == .void
        case .load, .exchange, .compareExchange: return false
        }
    }
}
