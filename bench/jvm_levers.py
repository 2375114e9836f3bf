#!/usr/bin/env python3
"""CPU seconds per thread group of one `train` for each JVM lever (bench/thread_cpu.py per run).

    bench/jvm_levers.py [--epochs 2] [--levers baseline,serial,...] [--out target/levers]

Needs target/classes and target/cp.txt (mvn -q -o compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt).
The main thread's CPU seconds stand for the speed of one training alone (the other threads run on the other
cores); the sum over all threads is what one training costs when K of them share K cores.
"""
import argparse, json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import thread_cpu  # noqa: E402

CDS = "target/levers/app-cds.jsa"
LEVERS = {
    "baseline (G1, tiered C1+C2)": [],
    "G1, C1 only (TieredStopAtLevel=1)": ["-XX:TieredStopAtLevel=1"],
    "Serial GC": ["-XX:+UseSerialGC"],
    "Serial GC, C1 only": ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"],
    "Parallel GC, 1 thread": ["-XX:+UseParallelGC", "-XX:ParallelGCThreads=1"],
    "G1, 1 parallel + 1 conc thread": ["-XX:ParallelGCThreads=1", "-XX:ConcGCThreads=1"],
    "ActiveProcessorCount=1": ["-XX:ActiveProcessorCount=1"],
    "Serial GC, C2 only (-TieredCompilation)": ["-XX:+UseSerialGC", "-XX:-TieredCompilation"],
    "Serial GC, fewer C2 compiles (Tier4 thresholds x4)": ["-XX:+UseSerialGC", "-XX:Tier4InvocationThreshold=20000",
                                                          "-XX:Tier4MinInvocationThreshold=2400", "-XX:Tier4CompileThreshold=60000",
                                                          "-XX:Tier4BackEdgeThreshold=160000"],
    "Serial GC, AppCDS": ["-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + CDS],
    "Serial GC, young gen 256m": ["-XX:+UseSerialGC", "-Xmn256m"],
    "Serial GC, nopointergc": ["-XX:+UseSerialGC", "-Dorg.bytedeco.javacpp.nopointergc=true"],
    "Serial GC, fewer C2 compiles (Tier4 thresholds x10)": ["-XX:+UseSerialGC", "-XX:Tier4InvocationThreshold=50000",
                                                           "-XX:Tier4MinInvocationThreshold=6000", "-XX:Tier4CompileThreshold=150000",
                                                           "-XX:Tier4BackEdgeThreshold=400000"],
    "Serial GC, Tier4 x4, AppCDS": ["-XX:+UseSerialGC", "-XX:Tier4InvocationThreshold=20000", "-XX:Tier4MinInvocationThreshold=2400",
                                    "-XX:Tier4CompileThreshold=60000", "-XX:Tier4BackEdgeThreshold=160000", "-XX:SharedArchiveFile=" + CDS],
    "Serial GC, Tier4 x4, MetaspaceSize=256m": ["-XX:+UseSerialGC", "-XX:MetaspaceSize=256m", "-XX:Tier4InvocationThreshold=20000",
                                                "-XX:Tier4MinInvocationThreshold=2400", "-XX:Tier4CompileThreshold=60000",
                                                "-XX:Tier4BackEdgeThreshold=160000"],
    "C1 only, Serial GC, AppCDS": ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:SharedArchiveFile=" + CDS],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", default="2")
    ap.add_argument("--levers", default=",".join(str(i) for i in range(len(LEVERS))), help="indexes, comma-separated")
    ap.add_argument("--out", default="target/levers")
    ap.add_argument("--max-batches", default=None)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    # the classes as a jar: a snapshot a rebuild cannot change, and CDS archives classes from jars only (a directory on
    # the class path makes -XX:ArchiveClassesAtExit fail on Java 17)
    if not os.path.exists("target/levers/app.jar"):
        subprocess.run(["jar", "cf", "target/levers/app.jar", "-C", "target/classes", "."], check=True)
    cp = "target/levers/app.jar:" + open("target/cp.txt").read().strip()
    env = dict(os.environ, OMP_NUM_THREADS="1")
    names = list(LEVERS)
    rows = []
    for i in [int(x) for x in args.levers.split(",")]:
        name, flags = names[i], LEVERS[names[i]]
        if any(f.startswith("-XX:SharedArchiveFile") for f in flags) and not os.path.exists(CDS):
            subprocess.run(["java", "-Xmx4g", "-XX:+UseSerialGC", "-XX:ArchiveClassesAtExit=" + CDS, "-cp", cp,
                            "org.explosionlab.cli.ExplosionLab", "train", "--max-batches", "5", "--out", args.out + "/cds-dump",
                            "--overwrite"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        train = ["train", "--preset", "seed-baseline", "--epochs", args.epochs, "--out", f"{args.out}/run{i}", "--overwrite"]
        if args.max_batches:
            train += ["--max-batches", args.max_batches]
        argv = ["java", "-Xmx4g", *flags, f"-Xlog:gc:file={args.out}/gc{i}.log", "-cp", cp,
                "org.explosionlab.cli.ExplosionLab", *train]
        os.environ.update(env)
        res = f"{args.out}/lever{i}.json"
        print(f"== {i}: {name}: {' '.join(flags)}", flush=True)
        thread_cpu.main(["--json", res, "--", *argv])
        r = json.load(open(res))
        g = r["groups"]
        gclog = open(f"{args.out}/gc{i}.log").read()
        rows.append((name, r["cpu"], g.get("main (training)", 0), g.get("C2 compiler", 0) + g.get("C1 compiler", 0),
                     g.get("C2 compiler", 0), g.get("GC", 0) + g.get("VM thread (safepoints, GC pauses of Serial)", 0),
                     g.get("deallocators", 0), g.get("other", 0), gclog.count("Pause"), gclog.count("System.gc()")))
    print("\n| lever | all threads CPU s | main thread s | JIT s (C2) | GC + VM thread s | deallocators s | other s | GC pauses | System.gc() |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, tot, main_, jit, c2, gc, de, oth, pauses, sysgc in rows:
        print(f"| {n} | {tot:.1f} | {main_:.1f} | {jit:.1f} ({c2:.1f}) | {gc:.2f} | {de:.2f} | {oth:.2f} | {pauses} | {sysgc} |")


if __name__ == "__main__":
    main()
