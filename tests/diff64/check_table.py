#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The 64-bit core's instruction table against binutils: every VMX and VSX entry of
src/cpu/insn_table.h (flags INSN_VMX, INSN_VSX) is assembled by its mnemonic (powerpc64le-linux-gnu-as -mpower8) and
the word decoded by the core (run64 dis) must give the same mnemonic. An entry with a wrong
opcode, form or extended opcode fails here even when no differential case reaches it.

usage: tests/diff64/check_table.py [--run64 PATH]     exits 1 on any disagreement
"""
import argparse, os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# operand lists to try, by form, until the assembler takes one
OPERANDS = {
    'FORM_XX1': ['33,4,5', '4,33', '33,4'],
    'FORM_XX2': ['33,34', '33,34,2', '2,34'],
    'FORM_XX3': ['33,34,35', '2,34,35'],
    'FORM_XX3R': ['33,34,35'],
    'FORM_XX3D': ['33,34,35,2'],
    'FORM_XX4': ['33,34,35,36'],
    'FORM_VX': ['3,4,5', '3,4', '3,5,2', '3,5', '3', '5', '3,4,5,6', '3,4,1', '3,4,1,5'],
    'FORM_VA': ['3,4,5,6', '3,4,5,2'],
    'FORM_VC': ['3,4,5'],
    'FORM_VXPS': ['3,4,5,1', '3,4,5,0'],
    'FORM_X': ['3,4,5', '3,4', '0'],
}


def entries():
    text = open(os.path.join(ROOT, 'src', 'cpu', 'insn_table.h')).read()
    for m in re.finditer(r'^INSN\((\w+),\s*"([^"]+)",\s*(\w+),\s*(\d+),\s*\d+,([^,]*),', text, re.M):
        cname, mnem, form, primary, flags = m.groups()
        cats = set(re.findall(r'\w+', flags))
        # XM and V: the table's shorthands for INSN_VSX and its memory forms
        if form in OPERANDS and cats & {'INSN_VMX', 'INSN_VSX', 'XM', 'V'}:
            yield mnem, form


def assemble(lines):
    """the words of lines, or None for each line the assembler refuses"""
    with tempfile.TemporaryDirectory() as tmp:
        src, obj = os.path.join(tmp, 'a.s'), os.path.join(tmp, 'a.o')
        out = []
        for line in lines:
            with open(src, 'w') as f:
                f.write(line + '\n')
            r = subprocess.run(['powerpc64le-linux-gnu-as', '-a64', '-mpower8', '-mregnames', src,
                                '-o', obj], capture_output=True)
            if r.returncode:
                out.append(None)
                continue
            data = subprocess.run(['powerpc64le-linux-gnu-objcopy', '-O', 'binary', '-j', '.text',
                                   obj, '/dev/stdout'], capture_output=True, check=True).stdout
            out.append(int.from_bytes(data[:4], 'little'))
        return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--run64', default=os.path.join(ROOT, 'build', 'tests', 'diff64', 'run64'))
    args = ap.parse_args()
    todo = list(entries())
    words = {}
    for mnem, form in todo:
        for ops in OPERANDS[form]:
            w = assemble(['%s %s' % (mnem, ops)])[0]
            if w is not None:
                words[mnem] = w
                break
    bad = 0
    names = [m for m, _ in todo if m in words]
    for mnem, _ in todo:
        if mnem not in words:
            print('binutils does not assemble %s' % mnem)
            bad += 1
    dis = subprocess.run([args.run64, 'dis'], input=''.join('%08x\n' % words[m] for m in names),
                         capture_output=True, text=True, check=True).stdout.split('\n')
    for mnem, line in zip(names, dis):
        got = line.split()[0].rstrip('.') if line else ''
        if got != mnem.rstrip('.'):  # bcdadd. and bcdsub. have the '.' in the table
            print('%s: binutils 0x%08x, the core decodes it as "%s"' % (mnem, words[mnem], line))
            bad += 1
    print('%d table entries checked, %d disagree' % (len(todo), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
