#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""maxrss.py FILE COMMAND...: run COMMAND, write the peak RSS (KiB) of its process tree's
largest member to FILE, and exit with COMMAND's status (128+N if a signal ended it)."""
import resource
import subprocess
import sys

status = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    f.write(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
sys.exit(128 - status if status < 0 else status)
