#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The 64-bit core's instruction table against binutils: every VMX and VSX entry of
src/cpu/insn_table.h (flags INSN_VMX, INSN_VSX), and every other entry of the 64-bit core's
alone (INSN_A_S64) in the X, XO, XL and XFX forms, is assembled by its mnemonic (powerpc64le-linux-gnu-as -mpower8) and
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
    'FORM_X': ['3,4,5', '3,4', '0', '3', '', '4,5,6', '3,4,1'],
    'FORM_XO': ['3,4,5', '3,4'],
    'FORM_XL': ['1', '20,0', ''],
    'FORM_XFX': ['3,0', '3,4'],
}
# forms checked for every 64-bit-only entry, not only the vector ones
SCALAR_FORMS = {'FORM_X', 'FORM_XO', 'FORM_XL', 'FORM_XFX'}


def entries():
    text = open(os.path.join(ROOT, 'src', 'cpu', 'insn_table.h')).read()
    for m in re.finditer(r'^INSN\((\w+),\s*"([^"]+)",\s*(\w+),\s*(\d+),\s*\d+,([^,]*),\s*(\w+)',
                         text, re.M):
        cname, mnem, form, primary, flags, arch = m.groups()
        cats = set(re.findall(r'\w+', flags))
        # XM and V: the table's shorthands for INSN_VSX and its memory forms
        if form in OPERANDS and (cats & {'INSN_VMX', 'INSN_VSX', 'XM', 'V'} or
                                 (arch == 'INSN_A_S64' and form in SCALAR_FORMS)):
            yield mnem, form


def assemble(lines, cpu='-mpower8'):
    """the words of lines, or None for each line the assembler refuses"""
    with tempfile.TemporaryDirectory() as tmp:
        src, obj = os.path.join(tmp, 'a.s'), os.path.join(tmp, 'a.o')
        out = []
        for line in lines:
            with open(src, 'w') as f:
                f.write(line + '\n')
            r = subprocess.run(['powerpc64le-linux-gnu-as', '-a64', cpu, '-mregnames', src,
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
        # mtsr and mtsrin, the segment-register bridge of 64-bit Book3S, binutils gives
        # only to older cores (-many)
        for ops in OPERANDS[form] + ['-many ' + o for o in OPERANDS[form]]:
            cpu, ops = ('-many', ops[6:]) if ops.startswith('-many ') else ('-mpower8', ops)
            w = assemble(['%s %s' % (mnem, ops)], cpu)[0]
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
