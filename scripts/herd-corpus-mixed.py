#!/usr/bin/env python3
"""Writes the mixed-size AArch64 litmus families of the herd7 differential
corpus (diy7 7.57 cannot generate mixed-size tests).

    scripts/herd-corpus-mixed.py rfi    OUTDIR   # the rfi-plus-other-write shape
    scripts/herd-corpus-mixed.py random OUTDIR   # seeded random small programs

Only litmus text is written; herd7 (`-variant mixed -hexa`) gives the
answers (see Tests/PVModelTests/Fixtures/herd-corpus/README.md).

Store values: every byte of the k-th store of a test is k, so a value read
shows which write each of its bytes came from; values are set in the init
block (herd7 takes a MOV immediate only when it is one MOVZ/MOVN).
"""
import os
import random
import sys

SIZES = {1: "b", 2: "h", 4: "w", 8: "q"}
TYPES = {1: "uint8_t", 2: "uint16_t", 4: "uint32_t", 8: "uint64_t"}


def pattern(k, size):
    """The value whose `size` bytes are all k."""
    return sum(k << (8 * i) for i in range(size))


def hexa(v):
    return hex(v)


def access_code(size, offset):
    """herd's access naming: b1 = byte at offset 1, q0 = doubleword at 0."""
    return f"{SIZES[size]}{offset}"


def reg(size, n):
    return f"X{n}" if size == 8 else f"W{n}"


def memory_op(op, size, r, base, offset=0, index=None):
    """`LDRB W5,[X1,#1]`: op ("LDR"/"STR") sized by a B/H suffix; the address
    is [base,#offset], or [base,index] for an address dependency."""
    addr = f"[{base},{index}]" if index is not None else f"[{base},#{offset}]" if offset else f"[{base}]"
    suffix = {1: "B", 2: "H"}.get(size, "")
    return f"{op}{suffix} {reg(size, r)},{addr}"


def load(size, dst, base, offset=0, index=None):
    return memory_op("LDR", size, dst, base, offset, index)


def store(size, src, base, offset=0, index=None):
    return memory_op("STR", size, src, base, offset, index)


def accesses(type_bytes):
    """Every aligned (size, offset) inside a location of type_bytes."""
    return [(s, o) for s in (1, 2, 4, 8) if s <= type_bytes for o in range(0, type_bytes, s)]


def table(threads):
    """The program table, columns padded as diy7 pads them."""
    rows = max(len(t) for t in threads)
    cols = [[f" {i}" for i in t] + [""] * (rows - len(t)) for t in threads]
    heads = [f" P{n}" for n in range(len(threads))]
    widths = [max(len(x) for x in [h] + c) + 1 for h, c in zip(heads, cols)]
    lines = [" |".join(h.ljust(w) for h, w in zip(heads, widths)) + ";"]
    for r in range(rows):
        lines.append(" |".join(c[r].ljust(w) for c, w in zip(cols, widths)) + ";")
    return "\n".join(lines)


def render(name, comment, decls, inits, threads, condition):
    init = "\n".join([" ".join(decls), "", "; ".join(inits) + ";"])
    return f'AArch64 {name}\n"{comment}"\n{{\n{init}\n}}\n{table(threads)}\nexists ({condition})\n'


def merged(init, writes):
    """Bytes of a location after `writes` (size, offset, value) in order, as an integer."""
    b = list(init)
    for size, offset, value in writes:
        for i in range(size):
            b[offset + i] = (value >> (8 * i)) & 0xFF
    return sum(x << (8 * i) for i, x in enumerate(b))


def rfi_family():
    """MP+dmb.sy<x><y>+<dep><y><own>-rfi<own><read>: P0 writes x then (DMB SY)
    a flag y; P1 reads the flag, writes x itself (after a data, address, DMB
    or no dependency), then reads x with an access that takes some bytes from
    its own store and the others from P0's store or the initial value. The
    condition asks for the read that takes its own bytes and the initial
    ones while P0's store is coherence-before P1's (herdtools7's
    MP+dmb.syb0b1+datab1b1-rfib1h0 generalised)."""
    tests = []
    for tb in (2, 4, 8):
        t = TYPES[tb]
        for own in accesses(tb):
            for read in accesses(tb):
                own_bytes = set(range(own[1], own[1] + own[0]))
                read_bytes = set(range(read[1], read[1] + read[0]))
                other = read_bytes - own_bytes
                if not (own_bytes & read_bytes) or not other:
                    continue
                for p0 in accesses(tb):
                    p0_bytes = set(range(p0[1], p0[1] + p0[0]))
                    if not (p0_bytes & other):
                        continue
                    # Keep the family small (136): for uint32 and uint64,
                    # P0's store is the read's whole other part, or (uint32)
                    # the whole location.
                    if tb > 2 and p0_bytes != other and not (tb == 4 and p0[0] == tb):
                        continue
                    for dep in ("data", "addr", "dmb", "po"):
                        tests.append(rfi_test(tb, t, p0, own, read, dep))
    return tests


def rfi_test(tb, t, p0, own, read, dep):
    flag = own  # the flag y is accessed like the own store (herd's "datab1b1")
    v0, vflag, vown = pattern(2, p0[0]), pattern(1, flag[0]), pattern(1, own[0])
    dep_code = {"data": "data", "addr": "addr", "dmb": "dmb.sy", "po": "po"}[dep]
    name = (f"MP+dmb.sy{access_code(*p0)}{access_code(*flag)}+{dep_code}{access_code(*flag)}{access_code(*own)}"
            f"-rfi{access_code(*own)}{access_code(*read)}" + ("" if tb == 2 else f"+u{8 * tb}"))
    p0_code = [store(p0[0], 0, "X1", p0[1]), "DMB SY", store(flag[0], 2, "X3", flag[1])]
    p1 = [load(flag[0], 0, "X1", flag[1])]
    if dep == "data":
        p1 += [f"EOR {reg(own[0], 3)},{reg(own[0], 0)},{reg(own[0], 0)}",
               f"ADD {reg(own[0], 3)},{reg(own[0], 3)},{reg(own[0], 2)}",
               store(own[0], 3, "X4", own[1])]
    elif dep == "addr":
        p1 += ["EOR X3,X0,X0"]
        if own[1]:
            p1 += [f"ADD X3,X3,#{own[1]}"]
        p1 += [store(own[0], 2, "X4", index="X3")]
    elif dep == "dmb":
        p1 += ["DMB SY", store(own[0], 2, "X4", own[1])]
    else:
        p1 += [store(own[0], 2, "X4", own[1])]
    p1 += [load(read[0], 5, "X4", read[1])]
    final_x = merged([0] * tb, [(p0[0], p0[1], v0), (own[0], own[1], vown)])
    # The read's value: its own store's bytes, the initial value elsewhere.
    mem = merged([0] * tb, [(own[0], own[1], vown)])
    read_value = (mem >> (8 * read[1])) & ((1 << (8 * read[0])) - 1)
    decls = [f"{t} y;", f"{t} x;", f"{TYPES[read[0]]} 1:X5;", f"{TYPES[flag[0]]} 1:X0;"]
    inits = [f"0:X0={hexa(v0)}", "0:X1=x", f"0:X2={hexa(vflag)}", "0:X3=y",
             "1:X1=y", f"1:X2={hexa(vown)}", "1:X4=x"]
    cond = f"x={hexa(final_x)} /\\ 1:X5={hexa(read_value)} /\\ 1:X0={hexa(vflag)}"
    comment = f"mixed-size rfi: {dep} before P1's own store, location {t}"
    return name, render(name, comment, decls, inits, [p0_code, p1], cond)


def random_family(count=100, seed=22):
    """Seeded random programs: 2 threads of 2-4 accesses (at most 6, and 3
    stores, in all): loads and stores of a byte, halfword, word or
    doubleword at an aligned offset to one or two
    locations of uint16/uint32/uint64, an occasional DMB SY, and after a
    load sometimes a data or address dependency on it. The condition
    is an outcome of one random interleaving (so some execution satisfies it)
    or, half the time, a byte-wise mix that may be forbidden."""
    rng = random.Random(seed)
    tests = []
    for n in range(count):
        tests.append(random_test(rng, n))
    return tests


def random_test(rng, n):
    locs = ["x", "y"][: rng.choice((1, 1, 2))]
    ltype = {l: rng.choice((2, 4, 8)) for l in locs}
    threads, events = [], []
    stores = 0
    # At most 6 accesses and 3 stores in all: herd7 -variant mixed orders
    # writes byte by byte and takes minutes on 4 stores to a uint64.
    counts = [rng.randint(2, 4)]
    counts.append(rng.randint(2, min(4, 6 - counts[0])))
    for p in range(2):
        ev = []
        for _ in range(counts[p]):
            loc = rng.choice(locs)
            size, off = rng.choice(accesses(ltype[loc]))
            if stores < 3 and rng.random() < 0.5:
                stores += 1
                ev.append(("W", loc, size, off, pattern(stores, size)))
            else:
                ev.append(("R", loc, size, off, None))
            if rng.random() < 0.15:
                ev.append(("F",))
        if ev[-1] == ("F",):
            ev.pop()
        events.append(ev)
    # Registers: X1/X3 hold the locations' addresses; loads and values from X5 up.
    addr = {"x": "X1", "y": "X3"}
    decls = [f"{TYPES[ltype[l]]} {l};" for l in locs]
    inits = []
    reads = []  # (thread, register, size)
    for p, ev in enumerate(events):
        code = []
        r = 5
        last_read = None  # the register of the thread's latest load
        for e in ev:
            if e[0] == "F":
                code.append("DMB SY")
                continue
            kind, loc, size, off, value = e
            # After a load, sometimes a data or address dependency on it
            # (x EOR x, so the value or address is unchanged).
            dep = None
            if last_read is not None and rng.random() < 0.3:
                dep = rng.choice(("data", "addr")) if kind == "W" else "addr"
            t = r + 1
            if dep == "addr":
                code.append(f"EOR X{t},X{last_read},X{last_read}")
                if off:
                    code.append(f"ADD X{t},X{t},#{off}")
            index = f"X{t}" if dep == "addr" else None
            if kind == "W":
                # A 64-bit value in a register typed as such (herd7
                # refuses a second initialisation of a declared register).
                if size == 8:
                    decls.append(f"uint64_t {p}:X{r}={hexa(value)};")
                else:
                    inits.append(f"{p}:X{r}={hexa(value)}")
                if dep == "data":
                    code += [f"EOR {reg(size, t)},{reg(size, last_read)},{reg(size, last_read)}",
                             f"ADD {reg(size, t)},{reg(size, t)},{reg(size, r)}",
                             store(size, t, addr[loc], off)]
                else:
                    code.append(store(size, r, addr[loc], off, index=index))
            else:
                decls.append(f"{TYPES[size]} {p}:X{r};")
                code.append(load(size, r, addr[loc], off, index=index))
                reads.append((p, r, e))
                last_read = r
            r += 2 if dep else 1
        threads.append(code)
        used = {e[1] for e in ev if e[0] != "F"}
        inits += [f"{p}:{addr[l]}={l}" for l in locs if l in used]
    # One interleaving of the two threads, byte by byte.
    mem = {l: [0] * ltype[l] for l in locs}
    pos, value_of = [0, 0], {}
    order = []
    while pos[0] < len(events[0]) or pos[1] < len(events[1]):
        p = rng.choice([q for q in (0, 1) if pos[q] < len(events[q])])
        order.append((p, events[p][pos[p]]))
        pos[p] += 1
    for p, e in order:
        if e[0] == "W":
            _, loc, size, off, value = e
            for i in range(size):
                mem[loc][off + i] = (value >> (8 * i)) & 0xFF
        elif e[0] == "R":
            _, loc, size, off, _ = e
            value_of[id(e)] = sum(mem[loc][off + i] << (8 * i) for i in range(size))
    atoms = []
    mix = rng.random() < 0.5
    for p, r, e in reads:
        v = value_of[id(e)]
        if mix:
            # Each byte from the initial value or from any store of that byte.
            _, loc, size, off, _ = e
            v = 0
            for i in range(size):
                sources = [0] + [(w[4] >> (8 * (off + i - w[3]))) & 0xFF for ev in events for w in ev
                                 if w[0] == "W" and w[1] == loc and w[3] <= off + i < w[3] + w[2]]
                v |= rng.choice(sources) << (8 * i)
        atoms.append(f"{p}:X{r}={hexa(v)}")
    for l in locs:
        if any(e[0] == "W" and e[1] == l for ev in events for e in ev):
            atoms.append(f"{l}={hexa(sum(b << (8 * i) for i, b in enumerate(mem[l])))}")
    if not atoms:
        atoms = ["true"]
    name = f"MIXRND{n:03d}"
    comment = f"random mixed-size program {n}, seed 22"
    return name, render(name, comment, decls, inits, threads, " /\\ ".join(atoms))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("rfi", "random"):
        sys.exit("usage: herd-corpus-mixed.py rfi|random OUTDIR")
    family, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    tests = rfi_family() if family == "rfi" else random_family()
    names = [n for n, _ in tests]
    assert len(set(names)) == len(names), "test names must be unique"
    for name, text in tests:
        with open(os.path.join(out, name + ".litmus"), "w") as f:
            f.write(text)
    print(f"{len(tests)} tests in {out}")


if __name__ == "__main__":
    main()
