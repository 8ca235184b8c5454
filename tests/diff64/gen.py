#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Random problem-state instruction sequences for the differential (tests/diff64/README.md).

A case is an image (layout.h): the initial state, a data area and the code, which ends with
`ba D64_EPILOGUE`. gen_case(rng, mode, group) returns (image bytes, list of (word, text))
for mode 'le', 'be' (64-bit) or '32' (32-bit mode, big-endian), group 'int' or 'fp'.
r31 holds D64_BUF throughout: the code never writes it, and addresses data through it.
"""
import random
import struct

BUF, EPILOGUE = 0x01100000, 0x01000000
INIT, DATA, DATA_SIZE, CODE, IMAGE_SIZE = 0x0000, 0x1000, 0x2000, 0x4000, 0x6000
S_GPR, S_CR, S_XER, S_LR, S_CTR, S_FPR, S_FPSCR, S_VR, S_VSCR, NSLOTS = \
    0, 32, 33, 34, 35, 36, 68, 70, 134, 136
BASE = 31
# the data area's last doubleword: a nonzero double no store reaches (data_off keeps stores
# 16 bytes short of the end)
ESTIMATE_OPERAND = DATA + DATA_SIZE - 8

# ---- encoders (Power ISA bit numbering: bit 0 is the MSB of the word) ----


def D(op, rt, ra, imm):
    return op << 26 | rt << 21 | ra << 16 | (imm & 0xffff)


def DS(op, rt, ra, ds, xo):
    return op << 26 | rt << 21 | ra << 16 | (ds & 0xfffc) | xo


def X(op, rt, ra, rb, xo, rc=0):
    return op << 26 | rt << 21 | ra << 16 | rb << 11 | xo << 1 | rc


def XO(rt, ra, rb, xo, oe=0, rc=0):
    return 31 << 26 | rt << 21 | ra << 16 | rb << 11 | oe << 10 | xo << 1 | rc


def M(op, rs, ra, sh, mb, me, rc=0):
    return op << 26 | rs << 21 | ra << 16 | sh << 11 | mb << 6 | me << 1 | rc


def MD(rs, ra, sh, mb, xo, rc=0):
    return (30 << 26 | rs << 21 | ra << 16 | (sh & 31) << 11 | (mb & 31) << 6 | (mb >> 5) << 5
            | xo << 2 | (sh >> 5) << 1 | rc)


def MDS(rs, ra, rb, mb, xo, rc=0):
    return 30 << 26 | rs << 21 | ra << 16 | rb << 11 | (mb & 31) << 6 | (mb >> 5) << 5 | xo << 1 | rc


def XS(rs, ra, sh, xo, rc=0):
    return 31 << 26 | rs << 21 | ra << 16 | (sh & 31) << 11 | xo << 2 | (sh >> 5) << 1 | rc


def A(op, frt, fra, frb, frc, xo, rc=0):
    return op << 26 | frt << 21 | fra << 16 | frb << 11 | frc << 6 | xo << 1 | rc


def XL(bt, ba, bb, xo):
    return 19 << 26 | bt << 21 | ba << 16 | bb << 11 | xo << 1


def XFX_SPR(rt, spr, xo):
    return 31 << 26 | rt << 21 | (spr & 31) << 16 | (spr >> 5) << 11 | xo << 1


# ---- operands ----

INTERESTING = [0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
               0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
               0xffffffffffffffff, 0xfffffffffffffffe, 0x00000000ffffffff, 0xffffffff00000000]


def rand_value(rng, w64):
    k = rng.random()
    if k < 0.3:
        v = rng.choice(INTERESTING)
    elif k < 0.45:
        v = rng.randrange(64)
    elif k < 0.55:
        v = (1 << 64) - rng.randrange(1, 64)
    else:
        v = rng.getrandbits(64)
    return v if w64 else v & 0xffffffff


def rand_double(rng):
    k = rng.random()
    specials = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, 1e300, -1e300, 1e-310, 2.0 ** 31, -2.0 ** 31,
                2.0 ** 63, 2.0 ** 64, -2.0 ** 63, 4294967295.5, 1.5, -1.5, 2.5,
                float('inf'), float('-inf'), float('nan')]
    if k < 0.35:
        return struct.unpack('<Q', struct.pack('<d', rng.choice(specials)))[0]
    if k < 0.45:  # a signalling NaN, or a NaN with a payload
        return rng.choice([0x7ff0000000000001, 0x7ff4000000000000, 0xfff8000000000123])
    if k < 0.75:
        return struct.unpack('<Q', struct.pack('<d', rng.uniform(-1e6, 1e6)))[0]
    return rng.getrandbits(64)


class Case:
    def __init__(self, rng, mode):
        self.rng, self.mode = rng, mode
        self.w64 = mode != '32'
        self.le = mode == 'le'
        self.code = []  # (word, text)
        self.fp_rn = None

    def reg(self):
        return self.rng.randrange(31)  # r0..r30: never r31

    def src(self):
        return self.rng.randrange(32)

    def emit(self, w, text):
        self.code.append((w & 0xffffffff, text))

    def li(self, r, v):
        self.emit(D(14, r, 0, v), 'li r%d,%d' % (r, v))


# ---- instruction groups: each adds one or a few instructions to the case ----


def g_xo_arith(c):
    r = c.rng
    ops = [('add', 266), ('addc', 10), ('adde', 138), ('subf', 40), ('subfc', 8), ('subfe', 136),
           ('mullw', 235), ('divw', 491), ('divwu', 459)]
    one = [('neg', 104), ('addme', 234), ('addze', 202), ('subfme', 232), ('subfze', 200)]
    noe = [('mulhw', 75), ('mulhwu', 11)]
    if c.w64:
        ops += [('mulld', 233), ('divd', 489), ('divdu', 457), ('divde', 425), ('divdeu', 393)]
        noe += [('mulhd', 73), ('mulhdu', 9)]
    k = r.random()
    rt, ra, rb, oe, rc = c.reg(), c.src(), c.src(), r.randrange(2), r.randrange(2)
    if k < 0.6:
        n, xo = r.choice(ops)
        if n == 'divde':
            oe = 0  # QEMU's OV of divdeo is not the architecture's (README.md)
        c.emit(XO(rt, ra, rb, xo, oe, rc), '%s%s%s r%d,r%d,r%d' % (n, 'o' * oe, '.' * rc, rt, ra, rb))
    elif k < 0.85:
        n, xo = r.choice(one)
        c.emit(XO(rt, ra, 0, xo, oe, rc), '%s%s%s r%d,r%d' % (n, 'o' * oe, '.' * rc, rt, ra))
    else:
        n, xo = r.choice(noe)
        c.emit(XO(rt, ra, rb, xo, 0, rc), '%s%s r%d,r%d,r%d' % (n, '.' * rc, rt, ra, rb))


def g_imm_arith(c):
    r = c.rng
    n, op = r.choice([('addi', 14), ('addis', 15), ('addic', 12), ('addic.', 13), ('subfic', 8),
                      ('mulli', 7)])
    rt, ra, imm = c.reg(), c.src(), r.choice([0, 1, -1, 0x7fff, -0x8000, r.randrange(-0x8000, 0x8000)])
    c.emit(D(op, rt, ra, imm), '%s r%d,r%d,%d' % (n, rt, ra, imm))


def g_logic(c):
    r = c.rng
    ops = [('and', 28), ('andc', 60), ('or', 444), ('orc', 412), ('xor', 316), ('nand', 476),
           ('nor', 124), ('eqv', 284), ('slw', 24), ('srw', 536), ('sraw', 792)]
    unary = [('extsb', 954), ('extsh', 922), ('cntlzw', 26)]
    if c.w64:
        ops += [('sld', 27), ('srd', 539), ('srad', 794)]
        unary += [('extsw', 986), ('cntlzd', 58)]
    norc = [('popcntb', 122, 1), ('popcntw', 378, 1), ('popcntd', 506, 1), ('prtyw', 154, 1),
            ('prtyd', 186, 1), ('cmpb', 508, 0), ('bpermd', 252, 0)] if c.w64 else []
    k = r.random()
    rs, ra, rb, rc = c.src(), c.reg(), c.src(), r.randrange(2)
    if k < 0.5:
        n, xo = r.choice(ops)
        if n in ('slw', 'srw', 'sraw', 'sld', 'srd', 'srad') and r.random() < 0.7:
            c.li(rb if rb != 31 else 30, r.randrange(128))
            rb = rb if rb != 31 else 30
        c.emit(X(31, rs, ra, rb, xo, rc), '%s%s r%d,r%d,r%d' % (n, '.' * rc, ra, rs, rb))
    elif k < 0.7:
        n, xo = r.choice(unary)
        c.emit(X(31, rs, ra, 0, xo, rc), '%s%s r%d,r%d' % (n, '.' * rc, ra, rs))
    elif k < 0.85 and norc:
        n, xo, unary1 = r.choice(norc)
        c.emit(X(31, rs, ra, 0 if unary1 else rb, xo), '%s r%d,r%d' % (n, ra, rs))
    else:
        n, op = r.choice([('ori', 24), ('oris', 25), ('xori', 26), ('xoris', 27), ('andi.', 28),
                          ('andis.', 29)])
        imm = r.randrange(0x10000)
        c.emit(D(op, rs, ra, imm), '%s r%d,r%d,0x%x' % (n, ra, rs, imm))


def g_shift_imm(c):
    r = c.rng
    rs, ra, rc = c.src(), c.reg(), r.randrange(2)
    if c.w64 and r.random() < 0.5:
        sh = r.randrange(64)
        c.emit(XS(rs, ra, sh, 413, rc), 'sradi%s r%d,r%d,%d' % ('.' * rc, ra, rs, sh))
    else:
        sh = r.randrange(32)
        c.emit(X(31, rs, ra, sh, 824, rc), 'srawi%s r%d,r%d,%d' % ('.' * rc, ra, rs, sh))


def g_rotate(c):
    r = c.rng
    rs, ra, rc = c.src(), c.reg(), r.randrange(2)
    k = r.random()
    if not c.w64 or k < 0.4:
        n, op = r.choice([('rlwinm', 21), ('rlwimi', 20), ('rlwnm', 23)])
        sh, mb, me = r.randrange(32), r.randrange(32), r.randrange(32)
        if n == 'rlwnm':
            sh = c.src()
        c.emit(M(op, rs, ra, sh, mb, me, rc), '%s%s r%d,r%d,%d,%d,%d' % (n, '.' * rc, ra, rs, sh, mb, me))
    elif k < 0.8:
        n, xo = r.choice([('rldicl', 0), ('rldicr', 1), ('rldic', 2), ('rldimi', 3)])
        sh, mb = r.randrange(64), r.randrange(64)
        c.emit(MD(rs, ra, sh, mb, xo, rc), '%s%s r%d,r%d,%d,%d' % (n, '.' * rc, ra, rs, sh, mb))
    else:
        n, xo = r.choice([('rldcl', 8), ('rldcr', 9)])
        rb, mb = c.src(), r.randrange(64)
        c.emit(MDS(rs, ra, rb, mb, xo, rc), '%s%s r%d,r%d,r%d,%d' % (n, '.' * rc, ra, rs, rb, mb))


def g_compare(c):
    r = c.rng
    bf, ra = r.randrange(8), c.src()
    l = r.randrange(2) if c.w64 else 0
    k = r.random()
    if k < 0.5:
        n, xo = r.choice([('cmp', 0), ('cmpl', 32)])
        rb = c.src()
        c.emit(X(31, bf << 2 | l, ra, rb, xo), '%s cr%d,%d,r%d,r%d' % (n, bf, l, ra, rb))
    else:
        n, op = r.choice([('cmpi', 11), ('cmpli', 10)])
        imm = r.randrange(-0x8000, 0x8000) if n == 'cmpi' else r.randrange(0x10000)
        c.emit(D(op, bf << 2 | l, ra, imm), '%s cr%d,%d,r%d,%d' % (n, bf, l, ra, imm))


def g_cr(c):
    r = c.rng
    k = r.random()
    if k < 0.35:
        n, xo = r.choice([('crand', 257), ('crandc', 129), ('creqv', 289), ('crnand', 225),
                          ('crnor', 33), ('cror', 449), ('crorc', 417), ('crxor', 193)])
        bt, ba, bb = r.randrange(32), r.randrange(32), r.randrange(32)
        c.emit(XL(bt, ba, bb, xo), '%s %d,%d,%d' % (n, bt, ba, bb))
    elif k < 0.5:
        bf, bfa = r.randrange(8), r.randrange(8)
        c.emit(XL(bf << 2, bfa << 2, 0, 0), 'mcrf cr%d,cr%d' % (bf, bfa))
    elif k < 0.65:
        rs, fxm = c.src(), r.randrange(256)
        c.emit(31 << 26 | rs << 21 | fxm << 12 | 144 << 1, 'mtcrf 0x%x,r%d' % (fxm, rs))
    elif k < 0.75 and c.w64:
        rs, fxm = c.src(), 1 << r.randrange(8)
        c.emit(31 << 26 | rs << 21 | 1 << 20 | fxm << 12 | 144 << 1, 'mtocrf 0x%x,r%d' % (fxm, rs))
    elif k < 0.85 and c.w64:
        rt, fxm = c.reg(), 1 << r.randrange(8)
        c.emit(31 << 26 | rt << 21 | 1 << 20 | fxm << 12 | 19 << 1, 'mfocrf r%d,0x%x' % (rt, fxm))
    elif k < 0.92 and c.w64:
        rt, ra, rb, bc = c.reg(), c.src(), c.src(), r.randrange(32)
        c.emit(A(31, rt, ra, rb, bc, 15), 'isel r%d,r%d,r%d,%d' % (rt, ra, rb, bc))
    else:
        rt = c.reg()
        c.emit(X(31, rt, 0, 0, 19), 'mfcr r%d' % rt)


def g_spr(c):
    r = c.rng
    spr = r.choice([8, 9])
    name = {8: 'lr', 9: 'ctr'}[spr]
    if r.random() < 0.5:
        rs = c.src()
        c.emit(XFX_SPR(rs, spr, 467), 'mt%s r%d' % (name, rs))
    else:
        rt = c.reg()
        c.emit(XFX_SPR(rt, spr, 339), 'mf%s r%d' % (name, rt))


def data_off(c, size, align=True):
    off = c.rng.randrange(DATA, DATA + DATA_SIZE - 16)
    return off - off % size if align or c.rng.random() < 0.8 else off


def g_load_store(c):
    r = c.rng
    loads = [('lbz', 34, 1), ('lhz', 40, 2), ('lha', 42, 2), ('lwz', 32, 4)]
    stores = [('stb', 38, 1), ('sth', 44, 2), ('stw', 36, 4)]
    xloads = [('lbzx', 87, 1), ('lhzx', 279, 2), ('lhax', 343, 2), ('lwzx', 23, 4),
              ('lhbrx', 790, 2), ('lwbrx', 534, 4)]
    xstores = [('stbx', 215, 1), ('sthx', 407, 2), ('stwx', 151, 4), ('sthbrx', 918, 2),
               ('stwbrx', 662, 4)]
    upd = [('lbzu', 35, 1, 0), ('lhzu', 41, 2, 0), ('lhau', 43, 2, 0), ('lwzu', 33, 4, 0),
           ('stbu', 39, 1, 1), ('sthu', 45, 2, 1), ('stwu', 37, 4, 1)]
    if c.w64:
        xloads += [('ldx', 21, 8), ('lwax', 341, 4), ('ldbrx', 532, 8)]
        xstores += [('stdx', 149, 8), ('stdbrx', 660, 8)]
    k = r.random()
    rt = c.reg()
    if k < 0.3:
        n, op, size = r.choice(loads + stores)
        off = data_off(c, size, False)
        c.emit(D(op, c.src() if n.startswith('st') else rt, BASE, off), '%s ?,%d(r31)' % (n, off))
    elif k < 0.45 and c.w64:
        n, op, xo, size = r.choice([('ld', 58, 0, 8), ('lwa', 58, 2, 4), ('std', 62, 0, 8)])
        off = data_off(c, 4)
        c.emit(DS(op, rt if op == 58 else c.src(), BASE, off, xo), '%s ?,%d(r31)' % (n, off))
    elif k < 0.7:
        n, xo, size = r.choice(xloads + xstores)
        idx = c.reg()
        while idx == rt:
            idx = c.reg()
        off = data_off(c, size, False)
        c.li(idx, off)
        store = n.startswith('st')
        c.emit(X(31, c.src() if store else rt, BASE, idx, xo), '%s ?,r31,r%d' % (n, idx))
    else:
        cand = upd + ([('ldu', 58, 8, 0), ('stdu', 62, 8, 1)] if c.w64 else [])
        n, op, size, store = r.choice(cand)
        ra = c.reg()
        while ra == 0 or ra == rt:
            ra = c.reg()
        off = data_off(c, size)
        start = r.randrange(DATA, DATA + DATA_SIZE // 2) & ~7
        c.emit(D(14, ra, BASE, start), 'addi r%d,r31,%d' % (ra, start))
        disp = off - start
        disp &= ~3
        if n in ('ldu', 'stdu'):
            c.emit(DS(op, c.src() if store else rt, ra, disp, 1), '%s ?,%d(r%d)' % (n, disp, ra))
        else:
            c.emit(D(op, c.src() if store else rt, ra, disp), '%s ?,%d(r%d)' % (n, disp, ra))


def g_atomic(c):
    r = c.rng
    sizes = [('lwarx', 20, 'stwcx.', 150, 4)]
    if c.w64:
        sizes += [('lbarx', 52, 'stbcx.', 694, 1), ('lharx', 116, 'sthcx.', 726, 2),
                  ('ldarx', 84, 'stdcx.', 214, 8)]
    ln, lxo, sn, sxo, size = r.choice(sizes)
    idx, rt = c.reg(), c.reg()
    while idx == rt or idx == 0:
        idx = c.reg()
    off = data_off(c, size)
    c.li(idx, off)
    if r.random() < 0.85:
        c.emit(X(31, rt, BASE, idx, lxo), '%s r%d,r31,r%d' % (ln, rt, idx))
    rs = c.src()
    c.emit(X(31, rs, BASE, idx, sxo, 1), '%s r%d,r31,r%d' % (sn, rs, idx))


INT_GROUPS = [(g_xo_arith, 4), (g_imm_arith, 2), (g_logic, 4), (g_shift_imm, 1), (g_rotate, 3),
              (g_compare, 2), (g_cr, 2), (g_spr, 1), (g_load_store, 3), (g_atomic, 1)]


def g_fp(c):
    r = c.rng
    if c.fp_rn is None:  # the case's rounding mode (FPSCR[RN])
        c.fp_rn = r.randrange(4)
    frt, fra, frb, frc, rc = r.randrange(32), r.randrange(32), r.randrange(32), r.randrange(32), 0
    k = r.random()
    if k < 0.45:
        n, op, xo, ab, cc = r.choice([
            ('fadd', 63, 21, 1, 0), ('fsub', 63, 20, 1, 0), ('fmul', 63, 25, 0, 1),
            ('fdiv', 63, 18, 1, 0), ('fmadd', 63, 29, 1, 1), ('fmsub', 63, 28, 1, 1),
            ('fnmadd', 63, 31, 1, 1), ('fnmsub', 63, 30, 1, 1), ('fsel', 63, 23, 1, 1),
            ('fadds', 59, 21, 1, 0), ('fsubs', 59, 20, 1, 0), ('fmuls', 59, 25, 0, 1),
            ('fdivs', 59, 18, 1, 0), ('fmadds', 59, 29, 1, 1), ('fnmsubs', 59, 30, 1, 1)])
        if n.startswith('fnm') and c.fp_rn >= 2:
            return  # QEMU rounds the negated value (README.md: fnmadd, fnmsub)
        c.emit(A(op, frt, fra, frb if ab else 0, frc if cc else 0, xo, rc),
               '%s f%d,f%d,f%d,f%d' % (n, frt, fra, frc if cc else 0, frb if ab else 0))
    elif k < 0.7:
        n, xo = r.choice([('fabs', 264), ('fneg', 40), ('fnabs', 136), ('fmr', 72), ('frsp', 12),
                          ('fctiw', 14), ('fctiwz', 15)])
        c.emit(X(63, frt, 0, frb, xo, rc), '%s f%d,f%d' % (n, frt, frb))
    elif k < 0.8 and c.w64:
        g_fp207(c, frt, fra, frb)
    elif k < 0.85:
        n, xo = r.choice([('fcmpu', 0), ('fcmpo', 32)])
        bf = r.randrange(8)
        c.emit(X(63, bf << 2, fra, frb, xo), '%s cr%d,f%d,f%d' % (n, bf, fra, frb))
    else:
        n, op = r.choice([('lfd', 50), ('stfd', 54), ('lfs', 48), ('stfs', 52)])
        off = data_off(c, 8 if n.endswith('d') else 4)
        c.emit(D(op, frt, BASE, off), '%s f%d,%d(r31)' % (n, frt, off))


def g_fp207(c, frt, fra, frb):
    """Power ISA 2.07's FP additions (not on the 750 of the 32-bit mode)"""
    r = c.rng
    k = r.random()
    if k < 0.55:
        n, op, xo = r.choice([('fcfid', 63, 846), ('fcfidu', 63, 974), ('fcfids', 59, 846),
                              ('fcfidus', 59, 974), ('fctid', 63, 814), ('fctidz', 63, 815),
                              ('fctidu', 63, 942), ('fctiduz', 63, 943), ('fctiwu', 63, 142),
                              ('fctiwuz', 63, 143)])
        c.emit(X(op, frt, 0, frb, xo), '%s f%d,f%d' % (n, frt, frb))
    elif k < 0.65:
        c.emit(X(63, frt, fra, frb, 8), 'fcpsgn f%d,f%d,f%d' % (frt, fra, frb))
    elif k < 0.75:
        # the operand from ESTIMATE_OPERAND, never zero: QEMU's estimates of zero are 1/2
        n, op, xo = r.choice([('fre', 63, 24), ('frsqrtes', 59, 26)])
        c.emit(D(50, frb, BASE, ESTIMATE_OPERAND), 'lfd f%d,%d(r31)' % (frb, ESTIMATE_OPERAND))
        c.emit(A(op, frt, 0, frb, 0, xo), '%s f%d,f%d' % (n, frt, frb))
    elif k < 0.85:
        bf = r.randrange(8)
        if r.random() < 0.5:
            c.emit(X(63, bf << 2, fra, frb, 128), 'ftdiv cr%d,f%d,f%d' % (bf, fra, frb))
        else:
            c.emit(X(63, bf << 2, 0, frb, 160), 'ftsqrt cr%d,f%d' % (bf, frb))
    else:
        n, xo = r.choice([('lfiwax', 855), ('lfiwzx', 887)])
        idx = c.reg()
        c.li(idx, data_off(c, 4))
        c.emit(X(31, frt, BASE, idx, xo), '%s f%d,r31,r%d' % (n, frt, idx))


FP_GROUPS = [(g_fp, 1)]

VX_OPS = ['vaddubm', 0, 'vmaxub', 2, 'vrlb', 4, 'vadduhm', 64, 'vmaxuh', 66, 'vrlh', 68,
          'vmrghb', 12, 'vadduwm', 128, 'vmaxuw', 130, 'vrlw', 132, 'vmrghh', 76, 'vaddudm', 192,
          'vmaxud', 194, 'vrld', 196, 'vmrghw', 140, 'vmaxsb', 258, 'vslb', 260, 'vmrglb', 268,
          'vmaxsh', 322, 'vslh', 324, 'vmrglh', 332, 'vaddcuw', 384, 'vmaxsw', 386, 'vslw', 388,
          'vmrglw', 396, 'vmaxsd', 450, 'vaddubs', 512, 'vminub', 514, 'vsrb', 516,
          'vadduhs', 576, 'vminuh', 578, 'vsrh', 580, 'vadduws', 640, 'vminuw', 642, 'vsrw', 644,
          'vminud', 706, 'vaddsbs', 768, 'vminsb', 770, 'vsrab', 772, 'vaddshs', 832,
          'vminsh', 834, 'vsrah', 836, 'vaddsws', 896, 'vminsw', 898, 'vsraw', 900, 'vminsd', 962,
          'vsrad', 964, 'vsububm', 1024, 'vavgub', 1026, 'vand', 1028, 'vsubuhm', 1088,
          'vavguh', 1090, 'vandc', 1092, 'vsubuwm', 1152, 'vavguw', 1154, 'vor', 1156,
          'vsubudm', 1216, 'vxor', 1220, 'vavgsb', 1282, 'vnor', 1284, 'vavgsh', 1346,
          'vorc', 1348, 'vsubcuw', 1408, 'vavgsw', 1410, 'vnand', 1412, 'vsld', 1476,
          'vsububs', 1536, 'vsubuhs', 1600, 'vsubuws', 1664, 'veqv', 1668, 'vsrd', 1732,
          'vsubsbs', 1792, 'vsubshs', 1856, 'vsubsws', 1920]
VX_OPS = list(zip(VX_OPS[::2], VX_OPS[1::2]))
VC_OPS = [('vcmpequb', 6), ('vcmpequh', 70), ('vcmpequw', 134), ('vcmpequd', 199),
          ('vcmpgtub', 518), ('vcmpgtuh', 582), ('vcmpgtuw', 646), ('vcmpgtud', 711),
          ('vcmpgtsb', 774), ('vcmpgtsh', 838), ('vcmpgtsw', 902), ('vcmpgtsd', 967)]


def VXF(vd, va, vb, xo):
    return 4 << 26 | vd << 21 | va << 16 | vb << 11 | xo


def g_vmx(c):
    r = c.rng
    vd, va, vb, vc = (r.randrange(32) for _ in range(4))
    k = r.random()
    if k < 0.5:
        n, xo = r.choice(VX_OPS)
        c.emit(VXF(vd, va, vb, xo), '%s v%d,v%d,v%d' % (n, vd, va, vb))
    elif k < 0.62:
        n, xo = r.choice(VC_OPS)
        rc = r.randrange(2)
        c.emit(VXF(vd, va, vb, xo | rc << 10), '%s%s v%d,v%d,v%d' % (n, '.' * rc, vd, va, vb))
    elif k < 0.72:
        n, xo = r.choice([('vsel', 42), ('vperm', 43), ('vsldoi', 44)])
        if n == 'vsldoi':
            vc = r.randrange(16)
        c.emit(VXF(vd, va, vb, xo) | vc << 6, '%s v%d,v%d,v%d,%d' % (n, vd, va, vb, vc))
    elif k < 0.8:
        n, xo = r.choice([('vspltb', 524), ('vsplth', 588), ('vspltw', 652), ('vspltisb', 780),
                          ('vspltish', 844), ('vspltisw', 908)])
        imm = r.randrange(32) if n.startswith('vspltis') else r.randrange(16 >> ['b', 'h', 'w'].index(n[-1]))
        c.emit(VXF(vd, imm, vb, xo), '%s v%d,v%d,%d' % (n, vd, vb, imm))
    elif k < 0.85:
        if r.random() < 0.5:
            c.emit(VXF(vd, 0, 0, 1540), 'mfvscr v%d' % vd)
        else:  # from a vector whose low word holds only SAT (README.md: QEMU keeps the rest)
            sat = r.randrange(2)
            c.emit(VXF(vb, sat, 0, 908), 'vspltisw v%d,%d' % (vb, sat))
            c.emit(VXF(0, 0, vb, 1604), 'mtvscr v%d' % vb)
    else:
        n, xo = r.choice([('lvx', 103), ('stvx', 231), ('lvsl', 6), ('lvsr', 38)])
        idx = c.reg()
        c.li(idx, data_off(c, 1, False))
        c.emit(X(31, vd, BASE, idx, xo), '%s v%d,r31,r%d' % (n, vd, idx))


VMX_GROUPS = [(g_vmx, 1)]


def gen_case(rng, mode, group='int', length=None):
    c = Case(rng, mode)
    groups = {'int': INT_GROUPS, 'fp': FP_GROUPS, 'vmx': VMX_GROUPS}[group]
    fns = [g for g, w in groups for _ in range(w)]
    if group == 'fp':
        c.fp_rn = rng.randrange(4)
    for _ in range(length or rng.randrange(4, 24)):
        rng.choice(fns)(c)
    c.emit(0x48000002 | (EPILOGUE & 0x03fffffc), 'ba epilogue')
    img = bytearray(IMAGE_SIZE)
    e = '<' if c.le else '>'
    for i in range(32):
        v = BUF if i == BASE else rand_value(rng, c.w64)
        struct.pack_into(e + 'Q', img, INIT + 8 * (S_GPR + i), v)
        struct.pack_into(e + 'Q', img, INIT + 8 * (S_FPR + i), rand_double(rng))
    struct.pack_into(e + 'Q', img, INIT + 8 * S_CR, rng.getrandbits(32))
    struct.pack_into(e + 'Q', img, INIT + 8 * S_XER, rng.getrandbits(3) << 29)
    struct.pack_into(e + 'Q', img, INIT + 8 * S_LR, rand_value(rng, c.w64))
    struct.pack_into(e + 'Q', img, INIT + 8 * S_CTR, rand_value(rng, c.w64))
    struct.pack_into(e + 'Q', img, INIT + 8 * S_FPSCR, c.fp_rn or 0)
    if c.w64:
        for off in range(8 * S_VR, 8 * S_VSCR, 8):
            struct.pack_into(e + 'Q', img, INIT + off, rand_value(rng, True))
        sat = rng.randrange(2)  # VSCR[SAT]: the vector's low word (lvx order)
        struct.pack_into('<I' if c.le else '>I', img, INIT + 8 * S_VSCR + (0 if c.le else 12), sat)
    for off in range(DATA, DATA + DATA_SIZE, 8):
        struct.pack_into(e + 'Q', img, off, rand_value(rng, True))
    est = rand_double(rng)
    while est & ~(1 << 63) == 0:
        est = rand_double(rng)
    struct.pack_into(e + 'Q', img, ESTIMATE_OPERAND, est)
    for i, (w, _) in enumerate(c.code):
        struct.pack_into(e + 'I', img, CODE + 4 * i, w)
    return bytes(img), c.code
