"""Run ``python -m tracker ARGS`` and write the command's own peak resident
memory (kB) to the file named by the first argument.

Why not ``ru_maxrss`` from ``wait4``: Linux keeps the larger of the parent's
and the child's peak across ``exec``, so a command started from a pytest
process that had grown to 900 MB reported 900 MB however little it used.
``VmHWM`` belongs to the memory map ``exec`` made, so it is the command's alone.

    python tests/peak_memory.py PEAK_FILE --db PATH import FILE ...
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def peak_resident_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("/proc/self/status has no VmHWM line")


if __name__ == "__main__":
    peak_file = Path(sys.argv[1])
    sys.argv = ["tracker", *sys.argv[2:]]
    try:
        runpy.run_module("tracker", run_name="__main__", alter_sys=True)
    finally:
        peak_file.write_text(str(peak_resident_kb()))
