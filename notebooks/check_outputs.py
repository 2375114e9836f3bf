#!/usr/bin/env python3
"""Checks executed notebooks: no cell has an error output, and every code cell that plots
(calls plt.show() or creates a figure with plt.subplots / plt.figure) holds an image/png output.
Prints the image count per notebook; exits 1 naming each offending cell.
    python3 notebooks/check_outputs.py notebooks/*.ipynb"""
import re
import sys

import nbformat

PLOTS = re.compile(r"\bplt\.(show|subplots|figure)\(")


def problems(path):
    book = nbformat.read(path, as_version=4)
    found, images = [], 0
    for index, cell in enumerate(book.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        pngs = sum(1 for o in outputs if "image/png" in o.get("data", {}))
        images += pngs
        for o in outputs:
            if o.get("output_type") == "error":
                found.append(f"{path}: cell {index} raised {o.get('ename')}: {o.get('evalue')}")
        if PLOTS.search(cell.source) and pngs == 0:
            found.append(f"{path}: cell {index} plots but holds no image/png output (inline backend? executed?)")
    return found, images


def main(paths):
    if not paths:
        print("usage: check_outputs.py NOTEBOOK.ipynb...", file=sys.stderr)
        return 2
    failed = []
    for path in paths:
        found, images = problems(path)
        print(f"{path}: {images} image/png outputs" + ("" if not found else f", {len(found)} problems"))
        failed += found
    for line in failed:
        print(line, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
