#!/usr/bin/env python3
"""Writes the synthetic sysfs trees used by the topology and placement tests.

Each tree is laid out as /sys/devices/system (cpu/, node/). Run from this
directory: python3 generate.py. The trees are committed; re-run only to change
them. `pvbench-allowed-cpulist` (pvbench's own file, not the kernel's) holds
the affinity mask the tree stands for; without it every online CPU is allowed.
"""
import os
import shutil


def cpulist(cpus):
    cpus = sorted(set(cpus))
    parts, i = [], 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        parts.append(str(cpus[i]) if i == j else f"{cpus[i]}-{cpus[j]}")
        i = j + 1
    return ",".join(parts)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text + "\n")


def tree(name, nodes, distances, siblings, present, online, mem_kb, caches, allowed=None, has_memory=None):
    """nodes: {node: [cpus]}; siblings: {cpu: [cpus]}; caches: [(level, type, size, [cpus])];
    mem_kb: {node: kB}."""
    root = name
    shutil.rmtree(root, ignore_errors=True)
    write(f"{root}/cpu/present", cpulist(present))
    write(f"{root}/cpu/possible", cpulist(present))
    write(f"{root}/cpu/online", cpulist(online))
    write(f"{root}/cpu/offline", cpulist(set(present) - set(online)))
    node_of = {c: n for n, cs in nodes.items() for c in cs}
    for cpu in present:
        d = f"{root}/cpu/cpu{cpu}"
        os.makedirs(d, exist_ok=True)
        n = node_of.get(cpu, offline_node.get(name, {}).get(cpu))
        if n is not None:
            write(f"{d}/node{n}", "")  # stands for the kernel's nodeN symlink
        if cpu not in online:
            write(f"{d}/online", "0")
            continue  # offline CPUs have no topology/ or cache/ in sysfs
        if cpu != 0:
            write(f"{d}/online", "1")
        sib = siblings.get(cpu, [cpu])
        write(f"{d}/topology/thread_siblings_list", cpulist(sib))
        write(f"{d}/topology/core_id", str(min(sib)))
        write(f"{d}/topology/physical_package_id", str(n if n is not None else 0))
        idx = 0
        for level, ctype, size, group in caches:
            if cpu in group:
                c = f"{d}/cache/index{idx}"
                write(f"{c}/level", str(level))
                write(f"{c}/type", ctype)
                write(f"{c}/size", size)
                write(f"{c}/shared_cpu_list", cpulist(group))
                idx += 1
    all_nodes = sorted(nodes)
    write(f"{root}/node/online", cpulist(all_nodes))
    write(f"{root}/node/possible", cpulist(all_nodes))
    write(f"{root}/node/has_cpu", cpulist([n for n in all_nodes if nodes[n]]))
    hm = has_memory if has_memory is not None else [n for n in all_nodes if mem_kb.get(n, 0) > 0]
    write(f"{root}/node/has_memory", cpulist(hm))
    write(f"{root}/node/has_normal_memory", cpulist(hm))
    for i, n in enumerate(all_nodes):
        d = f"{root}/node/node{n}"
        write(f"{d}/cpulist", cpulist(nodes[n]))
        write(f"{d}/distance", " ".join(str(x) for x in distances[i]))
        kb = mem_kb.get(n, 0)
        write(f"{d}/meminfo", f"Node {n} MemTotal:       {kb:>9} kB\nNode {n} MemFree:        {kb // 2:>9} kB")
    if allowed is not None:
        write(f"{root}/pvbench-allowed-cpulist", cpulist(allowed))


def per_cpu(level, ctype, size, cpus):
    return [(level, ctype, size, [c]) for c in cpus]


offline_node = {"cpus-offline": {2: 0}}

# This machine's shape: one node, two CPUs, no SMT, private L1/L2, shared L3.
c = [0, 1]
tree("one-node-2cpu", {0: c}, [[10]], {}, c, c, {0: 4679456},
     per_cpu(1, "Data", "48K", c) + per_cpu(1, "Instruction", "32K", c) + per_cpu(2, "Unified", "2048K", c)
     + [(3, "Unified", "266240K", c)])

# Two sockets/nodes x 4 CPUs as two SMT cores each, x86 numbering:
# node 0 = 0,1,4,5 (cores {0,4} {1,5}); node 1 = 2,3,6,7 (cores {2,6} {3,7}).
n0, n1 = [0, 1, 4, 5], [2, 3, 6, 7]
sib = {0: [0, 4], 4: [0, 4], 1: [1, 5], 5: [1, 5], 2: [2, 6], 6: [2, 6], 3: [3, 7], 7: [3, 7]}
cores = [[0, 4], [1, 5], [2, 6], [3, 7]]
tree("two-node-smt", {0: n0, 1: n1}, [[10, 21], [21, 10]], sib, range(8), range(8), {0: 8388608, 1: 8388608},
     [(1, "Data", "32K", g) for g in cores] + [(1, "Instruction", "32K", g) for g in cores]
     + [(2, "Unified", "1024K", g) for g in cores] + [(3, "Unified", "16384K", n0), (3, "Unified", "16384K", n1)])

# Four nodes x 4 CPUs, non-uniform and asymmetric distances (3->1 is 23 but
# 1->3 is 22), node 3 memory-less (CPUs, no memory). Farthest pair: 0 and 3.
nodes = {0: [0, 1, 2, 3], 1: [4, 5, 6, 7], 2: [8, 9, 10, 11], 3: [12, 13, 14, 15]}
dist = [[10, 16, 22, 28], [16, 10, 16, 22], [22, 16, 10, 16], [28, 23, 16, 10]]
tree("four-node-asym", nodes, dist, {}, range(16), range(16), {0: 4194304, 1: 4194304, 2: 4194304, 3: 0},
     per_cpu(1, "Data", "64K", range(16)) + per_cpu(2, "Unified", "512K", range(16))
     + [(3, "Unified", "8192K", cs) for cs in nodes.values()])

# One node, four CPUs, CPU 2 offline (no topology/ or cache/; the node lists only online CPUs).
tree("cpus-offline", {0: [0, 1, 3]}, [[10]], {}, range(4), [0, 1, 3], {0: 2097152},
     per_cpu(1, "Data", "32K", [0, 1, 3]) + [(2, "Unified", "1024K", [0, 1, 3])])

# Two nodes x 4 CPUs, but this process may use only CPUs 0-1 (both on node 0),
# as under `taskset -c 0-1` or a cgroup cpuset.
tree("small-affinity", {0: [0, 1, 2, 3], 1: [4, 5, 6, 7]}, [[10, 20], [20, 10]], {}, range(8), range(8),
     {0: 4194304, 1: 4194304}, per_cpu(1, "Data", "32K", range(8)), allowed=[0, 1])
