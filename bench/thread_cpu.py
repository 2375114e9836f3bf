#!/usr/bin/env python3
"""CPU seconds per thread group of one command (a JVM), read from /proc/<pid>/task/*/stat.

Runs the command, polls every thread's utime+stime every 0.1 s and keeps each thread's last reading, so a
thread that ended early still counts; groups threads by name with digits dropped ("C2 CompilerThre",
"GC Thread#", "JavaCPP Deallocator"...). Per-thread CPU time is what the JVM spends, wherever it runs, so it
is far less sensitive to other load on the machine than wall time.

    bench/thread_cpu.py [--json FILE] -- java -XX:... -cp ... org.explosionlab.cli.ExplosionLab train ...
"""
import json, os, re, subprocess, sys, time

TICK = os.sysconf("SC_CLK_TCK")


def group(name):
    if name in ("java", "main"):
        return "main (training)"
    if name.startswith("C2 Compiler"):
        return "C2 compiler"
    if name.startswith("C1 Compiler"):
        return "C1 compiler"
    if name.startswith(("GC Thread", "G1 ")):
        return "GC"
    if name.startswith("VM Thread"):
        return "VM thread (safepoints, GC pauses of Serial)"
    if "Dealloc" in name or "JavaCPP" in name:
        return "deallocators"
    return "other"


def sample(pid, seen):
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return False
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                s = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        seen[tid] = (name, (int(fields[11]) + int(fields[12])) / TICK)
    return True


def main(argv):
    out = None
    if argv[:1] == ["--json"]:
        out, argv = argv[1], argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    seen = {}
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    while proc.poll() is None:
        sample(proc.pid, seen)
        time.sleep(0.1)
    wall = time.monotonic() - start
    groups, names = {}, {}
    for name, cpu in seen.values():
        groups[group(name)] = groups.get(group(name), 0.0) + cpu
        key = re.sub(r"#\d+|Thread\d+|_\d+$", "#", name)
        names[key] = names.get(key, 0.0) + cpu
    total = sum(groups.values())
    print(f"exit {proc.returncode}, wall {wall:.1f} s, CPU {total:.1f} s ({total / wall:.2f} cores)")
    for g, cpu in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"  {g:45s} {cpu:6.2f} s  {100 * cpu / total:5.1f} %")
    print("  threads: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(names.items(), key=lambda kv: -kv[1]) if v >= 0.05))
    if out:
        with open(out, "w") as f:
            json.dump({"argv": argv, "exit": proc.returncode, "wall": wall, "cpu": total, "groups": groups, "threads": names}, f, indent=1)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
