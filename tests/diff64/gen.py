#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Random problem-state instruction sequences for the differential (tests/diff64/README.md).

A case is an image (layout.h): the initial state, a data area and the code, which ends with
`ba D64_EPILOGUE`. gen_case(rng, mode, group) returns (image bytes, list of (word, text))
for mode 'le', 'be' (64-bit) or '32' (32-bit mode, big-endian), group 'int', 'fp', 'vmx' or
'vsx'.
r31 holds D64_BUF throughout: the code never writes it, and addresses data through it.
"""
import random
import struct

BUF, EPILOGUE = 0x01100000, 0x01000000
INIT, DATA, DATA_SIZE, CODE, IMAGE_SIZE = 0x0000, 0x1000, 0x2000, 0x4000, 0x6000
S_GPR, S_CR, S_XER, S_LR, S_CTR, S_FPR, S_FPSCR, S_VR, S_VSCR, S_VSRLO, NSLOTS = \
    0, 32, 33, 34, 35, 36, 68, 70, 134, 136, 168
BASE = 31
# the data area's last doubleword: a nonzero double no store reaches (data_off keeps stores
# 16 bytes short of the end)
ESTIMATE_OPERAND = DATA + DATA_SIZE - 8
# the decimal operands bcdadd./bcdsub. load (g_bcd): past the data area, below the loader's
# scratch (layout.h), where no store reaches and nothing is compared
BCD_POOL = DATA + DATA_SIZE

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
        self.bcd_pool = []  # 128-bit values at BCD_POOL, 16 bytes each

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
        ops += [('mulld', 233), ('divd', 489), ('divdu', 457), ('divde', 425), ('divdeu', 393),
                ('divwe', 427), ('divweu', 395)]
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


def g_quad(c):
    """lq and stq (64-bit modes; the 750 has neither): an even register pair below r31 and a
    quadword-aligned displacement from r31"""
    if not c.w64:
        return g_load_store(c)
    r = c.rng
    rt = 2 * r.randrange(15)  # r0..r28, so the pair never reaches r31
    off = data_off(c, 16)
    if r.random() < 0.5:
        c.emit(DS(62, rt, BASE, off, 2), 'stq r%d,%d(r31)' % (rt, off))
    else:
        c.emit(D(56, rt, BASE, off), 'lq r%d,%d(r31)' % (rt, off))


def g_bcd_assist(c):
    """the BCD assists of 2.06 (64-bit modes; the 750 has none): addg6s, and cdtbcd and
    cbcdtd of random words (every declet; BCD digits valid or not)"""
    if not c.w64:
        return g_logic(c)
    r = c.rng
    k = r.random()
    if k < 0.4:
        rt, ra, rb = c.reg(), c.src(), c.src()
        c.emit(XO(rt, ra, rb, 74), 'addg6s r%d,r%d,r%d' % (rt, ra, rb))
    else:
        n, xo = ('cdtbcd', 282) if k < 0.7 else ('cbcdtd', 314)
        rs, ra = c.src(), c.reg()
        c.emit(X(31, rs, ra, 0, xo), '%s r%d,r%d' % (n, ra, rs))


INT_GROUPS = [(g_xo_arith, 4), (g_imm_arith, 2), (g_logic, 4), (g_shift_imm, 1), (g_rotate, 3),
              (g_compare, 2), (g_cr, 2), (g_spr, 1), (g_load_store, 3), (g_atomic, 1),
              (g_quad, 1), (g_bcd_assist, 1)]


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
                              ('fctiwuz', 63, 143), ('frin', 63, 392), ('friz', 63, 424),
                              ('frip', 63, 456), ('frim', 63, 488)])
        c.emit(X(op, frt, 0, frb, xo), '%s f%d,f%d' % (n, frt, frb))
    elif k < 0.65:
        n, xo = r.choice([('fcpsgn', 8), ('fmrgew', 966), ('fmrgow', 838)])
        c.emit(X(63, frt, fra, frb, xo), '%s f%d,f%d,f%d' % (n, frt, fra, frb))
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
# the rest of the integer part and the binary floating point
VX_OPS += [('vmuloub', 8), ('vmulouh', 72), ('vmulouw', 136), ('vmuluwm', 137), ('vmulosb', 264),
           ('vmulosh', 328), ('vmulosw', 392), ('vmuleub', 520), ('vmuleuh', 584),
           ('vmuleuw', 648), ('vmulesb', 776), ('vmulesh', 840), ('vmulesw', 904),
           ('vsum4ubs', 1544), ('vsum4sbs', 1800), ('vsum4shs', 1608), ('vsum2sws', 1672),
           ('vsumsws', 1928), ('vpkuhum', 14), ('vpkuwum', 78), ('vpkuhus', 142), ('vpkuwus', 206),
           ('vpkshus', 270), ('vpkswus', 334), ('vpkshss', 398), ('vpkswss', 462), ('vpkpx', 782),
           ('vpkudum', 1102), ('vpkudus', 1230), ('vpksdus', 1358), ('vpksdss', 1486),
           ('vsl', 452), ('vsr', 708), ('vslo', 1036), ('vsro', 1100), ('vmrgew', 1932),
           ('vmrgow', 1676), ('vadduqm', 256), ('vaddcuq', 320), ('vsubuqm', 1280),
           ('vsubcuq', 1344), ('vbpermq', 1356), ('vpmsumb', 1032), ('vpmsumh', 1096),
           ('vpmsumw', 1160), ('vpmsumd', 1224), ('vaddfp', 10), ('vsubfp', 74), ('vmaxfp', 1034),
           ('vminfp', 1098), ('vcipher', 1288), ('vcipherlast', 1289), ('vncipher', 1352),
           ('vncipherlast', 1353)]
VX_UNARY = [('vupkhsb', 526), ('vupkhsh', 590), ('vupklsb', 654), ('vupklsh', 718),
            ('vupkhpx', 846), ('vupklpx', 974), ('vupkhsw', 1614), ('vupklsw', 1742),
            ('vclzb', 1794), ('vclzh', 1858), ('vclzw', 1922), ('vclzd', 1986), ('vpopcntb', 1795),
            ('vpopcnth', 1859), ('vpopcntw', 1923), ('vpopcntd', 1987), ('vgbbd', 1292),
            ('vrefp', 266), ('vrsqrtefp', 330), ('vrfin', 522), ('vrfiz', 586), ('vrfip', 650),
            ('vrfim', 714)]
VX_UIM = [('vcfux', 778), ('vcfsx', 842), ('vctuxs', 906), ('vctsxs', 970)]
VA_OPS = [('vmhaddshs', 32), ('vmhraddshs', 33), ('vmladduhm', 34), ('vmsumubm', 36),
          ('vmsummbm', 37), ('vmsumuhm', 38), ('vmsumuhs', 39), ('vmsumshm', 40), ('vmsumshs', 41),
          ('vpermxor', 45), ('vmaddfp', 46), ('vnmsubfp', 47), ('vaddeuqm', 60), ('vaddecuq', 61),
          ('vsubeuqm', 62), ('vsubecuq', 63)]
VC_OPS = [('vcmpeqfp', 198), ('vcmpgefp', 454), ('vcmpgtfp', 710), ('vcmpbfp', 966),
          ('vcmpequb', 6), ('vcmpequh', 70), ('vcmpequw', 134), ('vcmpequd', 199),
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
    elif k < 0.66:
        n, xo = r.choice(VX_UNARY)
        c.emit(VXF(vd, 0, vb, xo), '%s v%d,v%d' % (n, vd, vb))
    elif k < 0.69:
        n, xo = r.choice(VX_UIM)
        uim = r.randrange(32)
        c.emit(VXF(vd, uim, vb, xo), '%s v%d,v%d,%d' % (n, vd, vb, uim))
    elif k < 0.74:
        n, xo = r.choice(VA_OPS)
        c.emit(VXF(vd, va, vb, xo) | vc << 6, '%s v%d,v%d,v%d,v%d' % (n, vd, va, vb, vc))
    elif k < 0.78:
        n, xo = r.choice([('vsel', 42), ('vperm', 43), ('vsldoi', 44)])
        if n == 'vsldoi':
            vc = r.randrange(16)
        c.emit(VXF(vd, va, vb, xo) | vc << 6, '%s v%d,v%d,v%d,%d' % (n, vd, va, vb, vc))
    elif k < 0.79:  # vsbox (its operand in the VRA field), the SHA-2 sigmas (ST, SIX in VRB's)
        n, xo = r.choice([('vsbox', 1480), ('vshasigmaw', 1666), ('vshasigmad', 1730)])
        if n == 'vsbox':
            c.emit(VXF(vd, va, 0, xo), '%s v%d,v%d' % (n, vd, va))
        else:
            st, six = r.randrange(2), r.randrange(16)
            c.emit(VXF(vd, va, st << 4 | six, xo), '%s v%d,v%d,%d,%d' % (n, vd, va, st, six))
    elif k < 0.8:
        n, xo = r.choice([('vspltb', 524), ('vsplth', 588), ('vspltw', 652), ('vspltisb', 780),
                          ('vspltish', 844), ('vspltisw', 908)])
        imm = r.randrange(32) if n.startswith('vspltis') else r.randrange(16 >> ['b', 'h', 'w'].index(n[-1]))
        c.emit(VXF(vd, imm, vb, xo), '%s v%d,v%d,%d' % (n, vd, vb, imm))
    elif k < 0.85:
        if r.random() < 0.2 and va != vb:  # VSCR[NJ] = 1 (and SAT 0): 1 << 16, low word
            c.emit(VXF(vb, 1, 0, 908), 'vspltisw v%d,1' % vb)
            c.emit(VXF(va, 16, 0, 908), 'vspltisw v%d,16' % va)
            c.emit(VXF(vb, vb, va, 388), 'vslw v%d,v%d,v%d' % (vb, vb, va))
            c.emit(VXF(0, 0, vb, 1604), 'mtvscr v%d' % vb)
        elif r.random() < 0.5:
            c.emit(VXF(vd, 0, 0, 1540), 'mfvscr v%d' % vd)
        else:  # from a vector whose low word holds only SAT (README.md: QEMU keeps the rest)
            sat = r.randrange(2)
            c.emit(VXF(vb, sat, 0, 908), 'vspltisw v%d,%d' % (vb, sat))
            c.emit(VXF(0, 0, vb, 1604), 'mtvscr v%d' % vb)
    else:
        n, xo = r.choice([('lvx', 103), ('stvx', 231), ('lvsl', 6), ('lvsr', 38), ('lvebx', 7),
                          ('lvehx', 39), ('lvewx', 71), ('stvebx', 135), ('stvehx', 167),
                          ('stvewx', 199), ('lvxl', 359), ('stvxl', 487)])
        idx = c.reg()
        c.li(idx, data_off(c, 1, False))
        c.emit(X(31, vd, BASE, idx, xo), '%s v%d,r31,r%d' % (n, vd, idx))


BCD_PLUS, BCD_MINUS = (0xa, 0xc, 0xe, 0xf), (0xb, 0xd)


def rand_bcd(rng):
    """a random valid signed packed decimal: (magnitude, minus, the register's value)"""
    k = rng.random()
    if k < 0.15:
        mag = 0
    elif k < 0.3:
        mag = 10 ** 31 - 1 - rng.randrange(3)
    elif k < 0.6:
        mag = rng.randrange(10 ** rng.randrange(1, 6))
    else:
        mag = rng.randrange(10 ** 31)
    minus = rng.random() < 0.5
    sign = rng.choice(BCD_MINUS if minus else BCD_PLUS)
    return mag, minus, int('%031d' % mag, 16) << 4 | sign  # the decimal digits as nibbles


def g_bcd(c):
    """bcdadd. or bcdsub. of two decimals loaded from BCD_POOL: now and then one with an invalid
    sign code or digit. Not the pairs QEMU 7.2 gets wrong (README.md): two zeros whose signs
    make their magnitudes add, and an invalid digit where the magnitudes subtract."""
    r = c.rng
    sub, ps = r.randrange(2), r.randrange(2)
    while True:
        a, b = rand_bcd(r), rand_bcd(r)
        adds = a[1] == (b[1] ^ sub)  # the magnitudes add (the same sign after sub's negation)
        if a[0] or b[0] or not adds:
            break
    va, vb, vd = r.sample(range(32), 2) + [r.randrange(32)]
    x, y = a[2], b[2]
    k = r.random()
    if k < 0.05:
        x = x & ~0xf | r.randrange(10)  # an invalid sign code
    elif k < 0.1 and adds:  # an invalid digit in one of them
        nib = 4 * r.randrange(1, 32)
        bad = r.randrange(10, 16) << nib
        if r.random() < 0.5:
            x = x & ~(0xf << nib) | bad
        else:
            y = y & ~(0xf << nib) | bad
    for v, val in ((va, x), (vb, y)):
        idx = c.reg()
        c.li(idx, BCD_POOL + 16 * len(c.bcd_pool))
        c.bcd_pool.append(val)
        c.emit(X(31, v, BASE, idx, 103), 'lvx v%d,r31,r%d' % (v, idx))
    n, xo = ('bcdsub.', 1089) if sub else ('bcdadd.', 1025)
    c.emit(VXF(vd, va, vb, xo | ps << 9), '%s v%d,v%d,v%d,%d' % (n, vd, va, vb, ps))


VMX_GROUPS = [(g_vmx, 8), (g_bcd, 1)]


# ---- VSX: a VSR number is 6 bits, split into a 5-bit field and an extension bit ----

def XX1(xo, t, ra, rb):
    return 31 << 26 | (t & 31) << 21 | ra << 16 | rb << 11 | xo << 1 | t >> 5


def XX2(xo, t, b, uim=0):
    return 60 << 26 | (t & 31) << 21 | uim << 16 | (b & 31) << 11 | xo << 2 | (b >> 5) << 1 | t >> 5


def XX3(xo, t, a, b):
    return (60 << 26 | (t & 31) << 21 | (a & 31) << 16 | (b & 31) << 11 | xo << 3 | (a >> 5) << 2
            | (b >> 5) << 1 | t >> 5)


def XX4(t, a, b, c):
    return XX3(0, t, a, b) | (c & 31) << 6 | 3 << 4 | (c >> 5) << 3


VSX_LDST = [('lxsiwzx', 12, 4), ('lxsiwax', 76, 4), ('lxsspx', 524, 4), ('lxsdx', 588, 8),
            ('lxvdsx', 332, 8), ('lxvw4x', 780, 16), ('lxvd2x', 844, 16), ('stxsiwx', 140, 4),
            ('stxsspx', 652, 4), ('stxsdx', 716, 8), ('stxvw4x', 908, 16), ('stxvd2x', 972, 16)]
VSX_LOGIC = [('xxland', 130), ('xxlandc', 138), ('xxlor', 146), ('xxlxor', 154), ('xxlnor', 162),
             ('xxlorc', 170), ('xxlnand', 178), ('xxleqv', 186), ('xxmrghw', 18), ('xxmrglw', 50)]


def g_vsx_move(c):
    """loads, stores, direct moves, logic and permutes"""
    r = c.rng
    t, a, b, cc = (r.randrange(64) for _ in range(4))
    k = r.random()
    if k < 0.3:
        n, xo, size = r.choice(VSX_LDST)
        idx = c.reg()
        c.li(idx, data_off(c, min(size, 8), False))
        c.emit(XX1(xo, t, BASE, idx), '%s vs%d,r31,r%d' % (n, t, idx))
    elif k < 0.45:
        n, xo, to = r.choice([('mfvsrd', 51, 0), ('mfvsrwz', 115, 0), ('mtvsrd', 179, 1),
                              ('mtvsrwa', 211, 1), ('mtvsrwz', 243, 1)])
        ra = c.src() if to else c.reg()
        c.emit(XX1(xo, t, ra, 0), '%s %s' % (n, 'vs%d,r%d' % (t, ra) if to else 'r%d,vs%d' % (ra, t)))
    elif k < 0.7:
        n, xo = r.choice(VSX_LOGIC)
        c.emit(XX3(xo, t, a, b), '%s vs%d,vs%d,vs%d' % (n, t, a, b))
    elif k < 0.85:
        n, xo = r.choice([('xxsldwi', 2), ('xxpermdi', 10)])
        f = r.randrange(4)
        c.emit(XX3(xo | f << 5, t, a, b), '%s vs%d,vs%d,vs%d,%d' % (n, t, a, b, f))
    elif k < 0.92:
        uim = r.randrange(4)
        c.emit(XX2(164, t, b, uim), 'xxspltw vs%d,vs%d,%d' % (t, b, uim))
    else:
        c.emit(XX4(t, a, b, cc), 'xxsel vs%d,vs%d,vs%d,vs%d' % (t, a, b, cc))


XS_ARITH = [('xsadddp', 32), ('xssubdp', 40), ('xsmuldp', 48), ('xsdivdp', 56), ('xsaddsp', 0),
            ('xssubsp', 8), ('xsmulsp', 16), ('xsdivsp', 24), ('xsmaddadp', 33), ('xsmaddmdp', 41),
            ('xsmsubadp', 49), ('xsmsubmdp', 57), ('xsnmaddadp', 161), ('xsnmaddmdp', 169),
            ('xsnmsubadp', 177), ('xsnmsubmdp', 185), ('xsmaddasp', 1), ('xsmaddmsp', 9),
            ('xsmsubasp', 17), ('xsmsubmsp', 25), ('xsnmaddasp', 129), ('xsnmaddmsp', 137),
            ('xsnmsubasp', 145), ('xsnmsubmsp', 153), ('xsmaxdp', 160), ('xsmindp', 168),
            ('xscpsgndp', 176)]
XS_UNARY = [('xssqrtdp', 75), ('xssqrtsp', 11), ('xsrsp', 281), ('xsabsdp', 345),
            ('xsnabsdp', 361), ('xsnegdp', 377), ('xscvdpsp', 265), ('xscvdpspn', 267),
            ('xscvspdp', 329), ('xscvspdpn', 331), ('xscvdpsxds', 344), ('xscvdpsxws', 88),
            ('xscvdpuxds', 328), ('xscvdpuxws', 72), ('xscvsxddp', 376), ('xscvuxddp', 360),
            ('xscvsxdsp', 312), ('xscvuxdsp', 296), ('xsrdpi', 73), ('xsrdpic', 107),
            ('xsrdpim', 121), ('xsrdpip', 105), ('xsrdpiz', 89)]
XS_ESTIMATE = [('xsredp', 90), ('xsrsqrtedp', 74), ('xsresp', 26), ('xsrsqrtesp', 10)]


def g_vsx_scalar(c):
    """scalar floating point on doubleword 0 of any VSR"""
    r = c.rng
    if c.fp_rn is None:
        c.fp_rn = r.randrange(4)
    t, a, b = (r.randrange(64) for _ in range(3))
    k = r.random()
    if k < 0.45:
        n, xo = r.choice(XS_ARITH)
        if 'nm' in n and c.fp_rn >= 2:
            return  # QEMU rounds the negated value (README.md: fnmadd, fnmsub)
        c.emit(XX3(xo, t, a, b), '%s vs%d,vs%d,vs%d' % (n, t, a, b))
    elif k < 0.8:
        n, xo = r.choice(XS_UNARY)
        c.emit(XX2(xo, t, b), '%s vs%d,vs%d' % (n, t, b))
    elif k < 0.87:
        # the operand from ESTIMATE_OPERAND, never zero: QEMU's estimates of zero are 1/2
        n, xo = r.choice(XS_ESTIMATE)
        idx = c.reg()
        c.li(idx, ESTIMATE_OPERAND)
        c.emit(XX1(588, b, BASE, idx), 'lxsdx vs%d,r31,r%d' % (b, idx))
        c.emit(XX2(xo, t, b), '%s vs%d,vs%d' % (n, t, b))
    elif k < 0.95:
        n, xo = r.choice([('xscmpudp', 35), ('xscmpodp', 43), ('xstdivdp', 61)])
        bf = r.randrange(8)
        c.emit(XX3(xo, bf << 2, a, b), '%s cr%d,vs%d,vs%d' % (n, bf, a, b))
    else:
        bf = r.randrange(8)
        c.emit(XX2(106, bf << 2, b), 'xstsqrtdp cr%d,vs%d' % (bf, b))


XV_ARITH = [('xvadddp', 96), ('xvsubdp', 104), ('xvmuldp', 112), ('xvdivdp', 120),
            ('xvaddsp', 64), ('xvsubsp', 72), ('xvmulsp', 80), ('xvdivsp', 88),
            ('xvmaddadp', 97), ('xvmaddmdp', 105), ('xvmsubadp', 113), ('xvmsubmdp', 121),
            ('xvnmaddadp', 225), ('xvnmaddmdp', 233), ('xvnmsubadp', 241), ('xvnmsubmdp', 249),
            ('xvmaddasp', 65), ('xvmaddmsp', 73), ('xvmsubasp', 81), ('xvmsubmsp', 89),
            ('xvnmaddasp', 193), ('xvnmaddmsp', 201), ('xvnmsubasp', 209), ('xvnmsubmsp', 217),
            ('xvmaxdp', 224), ('xvmindp', 232), ('xvmaxsp', 192), ('xvminsp', 200),
            ('xvcpsgndp', 240), ('xvcpsgnsp', 208)]
XV_UNARY = [('xvsqrtdp', 203), ('xvsqrtsp', 139), ('xvabsdp', 473), ('xvnabsdp', 489),
            ('xvnegdp', 505), ('xvabssp', 409), ('xvnabssp', 425), ('xvnegsp', 441),
            ('xvcvdpsp', 393), ('xvcvspdp', 457), ('xvcvdpsxds', 472), ('xvcvdpsxws', 216),
            ('xvcvdpuxds', 456), ('xvcvdpuxws', 200), ('xvcvspsxds', 408), ('xvcvspsxws', 152),
            ('xvcvspuxds', 392), ('xvcvspuxws', 136), ('xvcvsxddp', 504), ('xvcvuxddp', 488),
            ('xvcvsxdsp', 440), ('xvcvuxdsp', 424), ('xvcvsxwdp', 248), ('xvcvuxwdp', 232),
            ('xvcvsxwsp', 184), ('xvcvuxwsp', 168), ('xvrdpi', 201), ('xvrdpic', 235),
            ('xvrdpim', 249), ('xvrdpip', 233), ('xvrdpiz', 217), ('xvrspi', 137),
            ('xvrspic', 171), ('xvrspim', 185), ('xvrspip', 169), ('xvrspiz', 153)]
XV_CMP = [('xvcmpeqdp', 99), ('xvcmpgedp', 115), ('xvcmpgtdp', 107), ('xvcmpeqsp', 67),
          ('xvcmpgesp', 83), ('xvcmpgtsp', 75)]


def g_vsx_vector(c):
    """vector floating point on every element of any VSR"""
    r = c.rng
    if c.fp_rn is None:
        c.fp_rn = r.randrange(4)
    t, a, b = (r.randrange(64) for _ in range(3))
    k = r.random()
    if k < 0.45:
        n, xo = r.choice(XV_ARITH)
        if 'nm' in n and c.fp_rn >= 2:
            return  # QEMU rounds the negated value (README.md: fnmadd, fnmsub)
        c.emit(XX3(xo, t, a, b), '%s vs%d,vs%d,vs%d' % (n, t, a, b))
    elif k < 0.8:
        n, xo = r.choice(XV_UNARY)
        if n.startswith(('xvcvdps', 'xvcvdpu', 'xvcvsps', 'xvcvspu')) and n != 'xvcvdpsp':
            # QEMU 7.2 converts every element after a NaN as a NaN (README.md): the
            # operand is made of integers first
            src = r.randrange(64)
            cv = ('xvcvsxwsp', 184) if n.startswith('xvcvsp') else ('xvcvsxddp', 504)
            c.emit(XX2(cv[1], b, src), '%s vs%d,vs%d' % (cv[0], b, src))
        c.emit(XX2(xo, t, b), '%s vs%d,vs%d' % (n, t, b))
    elif k < 0.87:
        # estimates of the data area's last doubleword (never zero) in both halves
        n, xo = r.choice([('xvredp', 218), ('xvrsqrtedp', 202)])
        idx = c.reg()
        c.li(idx, ESTIMATE_OPERAND)
        c.emit(XX1(332, b, BASE, idx), 'lxvdsx vs%d,r31,r%d' % (b, idx))
        c.emit(XX2(xo, t, b), '%s vs%d,vs%d' % (n, t, b))
    elif k < 0.95:
        n, xo = r.choice(XV_CMP)
        rc = r.randrange(2)
        c.emit(XX3(xo | rc << 7, t, a, b), '%s%s vs%d,vs%d,vs%d' % (n, '.' * rc, t, a, b))
    else:
        bf = r.randrange(8)
        n, xo, two = r.choice([('xvtdivdp', 125, 1), ('xvtdivsp', 93, 1), ('xvtsqrtdp', 234, 0),
                               ('xvtsqrtsp', 170, 0)])
        if two:
            c.emit(XX3(xo, bf << 2, a, b), '%s cr%d,vs%d,vs%d' % (n, bf, a, b))
        else:
            c.emit(XX2(xo, bf << 2, b), '%s cr%d,vs%d' % (n, bf, b))


VSX_GROUPS = [(g_vsx_move, 1), (g_vsx_scalar, 2), (g_vsx_vector, 2)]


def gen_case(rng, mode, group='int', length=None):
    c = Case(rng, mode)
    groups = {'int': INT_GROUPS, 'fp': FP_GROUPS, 'vmx': VMX_GROUPS, 'vsx': VSX_GROUPS}[group]
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
        for off in range(8 * S_VR, 8 * S_VSCR, 8):  # VSR32-63: integers and doubles
            v = rand_value(rng, True) if rng.random() < 0.5 else rand_double(rng)
            struct.pack_into(e + 'Q', img, INIT + off, v)
        for i in range(32):
            struct.pack_into(e + 'Q', img, INIT + 8 * (S_VSRLO + i), rand_double(rng))
        sat = rng.randrange(2)  # VSCR[SAT]: the vector's low word (lvx order)
        struct.pack_into('<I' if c.le else '>I', img, INIT + 8 * S_VSCR + (0 if c.le else 12), sat)
    for off in range(DATA, DATA + DATA_SIZE, 8):
        struct.pack_into(e + 'Q', img, off, rand_value(rng, True))
    est = rand_double(rng)
    while est & ~(1 << 63) == 0:
        est = rand_double(rng)
    struct.pack_into(e + 'Q', img, ESTIMATE_OPERAND, est)
    for i, v in enumerate(c.bcd_pool):  # as lvx loads it in the case's byte order
        img[BCD_POOL + 16 * i:BCD_POOL + 16 * i + 16] = v.to_bytes(16, 'little' if c.le else 'big')
    for i, (w, _) in enumerate(c.code):
        struct.pack_into(e + 'I', img, CODE + 4 * i, w)
    return bytes(img), c.code
