#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that CPU_NEXT / CPU_GOTO appear only in instruction handlers.

With clang they are guaranteed tail calls into the next handler (src/cpu/exec.h). Used in a
helper that a handler calls normally, they make the helper run the guest onward inside the
handler's stack frame: frames pile up until the host stack overflows. The compiler cannot
tell (a helper with the handler signature compiles), so this script does.
usage: scripts/check-tail-calls.py [FILES...]   (default: src/**/*.c)"""
import glob, re, sys

HANDLER = re.compile(r'\bCPU_HANDLER\(')
files = sys.argv[1:] or sorted(glob.glob('src/**/*.c', recursive=True))
bad = 0
for path in files:
    lines = open(path).read().split('\n')
    func, in_handler, depth = None, False, 0
    for n, line in enumerate(lines, 1):
        if depth == 0 and line and not line[0].isspace() and line[0] not in '{}#/':
            func, in_handler = line, bool(HANDLER.search(line))
        depth += line.count('{') - line.count('}')
        if re.search(r'\bCPU_(NEXT|GOTO)\(', line) and not line.lstrip().startswith('#define') \
                and not in_handler and not line.rstrip().endswith('\\'):
            print(f"{path}:{n}: CPU_NEXT/CPU_GOTO outside a handler ({func.strip()})")
            bad += 1
        # a handler called (not tail-called) from a handler would dispatch inside its frame
        if re.search(r'\bCPU_(NEXT|GOTO)\(c, (op|fast)_\w+\(', line):
            print(f"{path}:{n}: a handler called inside CPU_NEXT/CPU_GOTO: use CPU_TAIL")
            bad += 1
print(f"{bad} tail-call misuse(s)" if bad else "tail calls: only in handlers")
sys.exit(1 if bad else 0)
