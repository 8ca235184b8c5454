# SPDX-License-Identifier: MIT
# softkvm build. `make` builds build/softkvm and the tests; `make SAN=1` builds the same
# into build-asan/ with AddressSanitizer + UBSan. `make check` runs every test.
# clang: its musttail gives the core threaded dispatch (see src/cpu/exec.h); gcc also builds.
ifeq ($(origin CC),default)
CC       := clang
endif
# FPU=portable: the FPU's host arithmetic in portable C (src/cpu/fpu_host.h) instead of
# x86-64's SSE unit, into build-fpu-portable/ (the suite tests it too).
FPU      ?= native
ifeq ($(FPU),portable)
BUILD    ?= build-fpu-portable
FPUFLAGS := -DSOFTKVM_FPU_PORTABLE -frounding-math
endif
SAN      ?= 0
ifeq ($(SAN),1)
BUILD    ?= build-asan
OPT      ?= -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDSAN    := -fsanitize=address,undefined
else
BUILD    ?= build
OPT      ?= -O2
LDSAN    :=
endif

CFLAGS   := -std=gnu11 -g $(OPT) -Wall -Wextra -Werror -Wno-unused-parameter \
            -fno-strict-aliasing -Iinclude -Isrc -Ivmm -MMD -MP $(FPUFLAGS)
LDLIBS   := -lfdt -lslirp -lpthread -lm
# x86-64: stqcx. is one 16-byte compare-and-swap (cmpxchg16b, src/cpu/exec_ldst.c)
ifeq ($(shell uname -m),x86_64)
CFLAGS   += -mcx16
endif

# src/kvm/book3s/pr_*.c is the Book3S PR hypervisor: built against the 64-bit core (below)
PR_SRC   := $(sort $(wildcard src/kvm/book3s/pr_*.c))
LIB_SRC  := $(filter-out $(PR_SRC),$(sort $(wildcard src/cpu/*.c src/kvm/*.c src/kvm/booke/*.c src/kvm/book3s/*.c)))
VMM_SRC  := $(sort $(wildcard vmm/*.c vmm/*/*.c))
# tests/unit/test_cpu64_*.c test the 64-bit core (below), the others the 440 and the rest
UNIT_SRC := $(filter-out tests/unit/test_cpu64_%,$(sort $(wildcard tests/unit/test_*.c)))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
# The shared library's objects are built apart (position-independent, internal symbols
# hidden), so the static library and build/softkvm keep the core's non-PIC code.
PIC_OBJ  := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
VMM_OBJ  := $(VMM_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)

FUZZ_BIN := $(BUILD)/tests/fuzz/fuzz_standalone $(BUILD)/tests/fuzz/fuzz_loader_standalone \
	    $(BUILD)/tests/fuzz/fuzz_virtq_standalone $(BUILD)/tests/fuzz/fuzz_p9_standalone \
	    $(BUILD)/tests/fuzz/fuzz_vsock_standalone $(BUILD)/tests/fuzz/fuzz_papr_standalone \
	    $(BUILD)/tests/fuzz/fuzz_vmm_papr_standalone
# What the loader/DTB fuzz harness exercises of the VMM (no board, no main).
FUZZ_VMM_OBJ := $(patsubst %,$(BUILD)/vmm/%.o,loader devtree ram log error)
P9_OBJ   := $(BUILD)/vmm/virtio/p9_server.o $(BUILD)/vmm/virtio/p9_fid.o $(BUILD)/vmm/error.o
VSOCK_OBJ := $(patsubst %,$(BUILD)/vmm/virtio/%.o,vsock_proto vsock_opts virtqueue) $(BUILD)/vmm/error.o
# The VMM's PAPR hypercalls, RTAS and XICS (no board, no hypervisor).
VMM_PAPR_OBJ := $(patsubst %,$(BUILD)/vmm/%.o,papr/hcall papr/rtas papr/xics pci/config pci/phb bus log error)

# The 64-bit core (POWER8, Book3S): src/cpu again, with -DCPU_WIDTH=64, its symbols renamed
# cpu64_* (scripts/cpu64-syms.sh) into libsoftkvm_cpu64.a; what uses it is built with
# -DCPU_WIDTH=64 and renamed with the same map.
CPU_SRC      := $(sort $(wildcard src/cpu/*.c))
CPU64_RAW    := $(CPU_SRC:src/cpu/%.c=$(BUILD)/cpu64/raw/%.o)
CPU64_SYMS   := $(BUILD)/cpu64/cpu64.syms
CPU64_LIB    := $(BUILD)/libsoftkvm_cpu64.a
CPU64_UNIT   := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(sort $(wildcard tests/unit/test_cpu64_*.c)))
DIFF64_BIN   := $(BUILD)/tests/diff64/run64
# libsoftkvm holds both cores: the 64-bit one's renamed objects and the PR hypervisor's
CPU64_OBJ    := $(CPU_SRC:src/cpu/%.c=$(CPU64_LIB).d/cpu64_%.o)
PR_OBJ       := $(PR_SRC:%.c=$(BUILD)/cpu64/use/%.o)
PIC_CPU64    := $(CPU_SRC:src/cpu/%.c=$(BUILD)/pic/cpu64/core/%.o)
PIC_PR       := $(PR_SRC:%.c=$(BUILD)/pic/cpu64/use/%.o)

all: $(BUILD)/softkvm $(UNIT_BIN) $(FUZZ_BIN) $(CPU64_LIB) $(CPU64_UNIT) $(DIFF64_BIN) \
     $(BUILD)/tests/guest64/runner

$(BUILD)/cpu64/raw/%.o: src/cpu/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DCPU_WIDTH=64 -c -o $@ $<

$(CPU64_SYMS): $(CPU64_RAW) scripts/cpu64-syms.sh
	scripts/cpu64-syms.sh list $@ $(CPU64_RAW)

$(CPU64_LIB): $(CPU64_SYMS)
	scripts/cpu64-syms.sh archive $(CPU64_SYMS) $@ $(CPU64_RAW)
$(CPU64_OBJ): $(CPU64_LIB)

# an object that uses the 64-bit core: compiled as it is, then renamed
$(BUILD)/cpu64/use/%.o: %.c $(CPU64_SYMS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DCPU_WIDTH=64 -MT $@ -MF $@.d -c -o $@.raw $<
	scripts/cpu64-syms.sh rename $(CPU64_SYMS) $@ $@.raw

$(BUILD)/tests/unit/test_cpu64_%: $(BUILD)/cpu64/use/tests/unit/test_cpu64_%.o $(CPU64_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDSAN) -o $@ $^ -lcmocka -lm

$(DIFF64_BIN): $(BUILD)/cpu64/use/tests/diff64/run64.o $(CPU64_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDSAN) -o $@ $^ -lm

$(BUILD)/libsoftkvm.a: $(LIB_OBJ) $(PR_OBJ) $(CPU64_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

# libsoftkvm.so: soname libsoftkvm.so.$(SO_MAJOR); only the skvm_* API is exported (the
# public headers mark it visible, -fvisibility=hidden hides the rest).
SO_MAJOR   := 0
SO_VERSION := $(SO_MAJOR).1.0
SO_NAME    := libsoftkvm.so.$(SO_MAJOR)
SO_FILE    := $(BUILD)/libsoftkvm.so.$(SO_VERSION)
LIB_LIBS   := -lpthread -lm

shared: $(SO_FILE)

$(SO_FILE): $(PIC_OBJ) $(PIC_PR) $(PIC_CPU64)
	$(CC) $(LDSAN) -shared -Wl,-soname,$(SO_NAME) -Wl,-z,defs -o $@ $^ $(LIB_LIBS)

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

# the shared library's copies of the 64-bit core and of what uses it, renamed alike
$(BUILD)/pic/cpu64/core/%.o: src/cpu/%.c $(CPU64_SYMS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DCPU_WIDTH=64 -fPIC -fvisibility=hidden -MT $@ -MF $@.d -c -o $@.raw $<
	scripts/cpu64-syms.sh rename $(CPU64_SYMS) $@ $@.raw
$(BUILD)/pic/cpu64/use/%.o: %.c $(CPU64_SYMS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DCPU_WIDTH=64 -fPIC -fvisibility=hidden -MT $@ -MF $@.d -c -o $@.raw $<
	scripts/cpu64-syms.sh rename $(CPU64_SYMS) $@ $@.raw

# `make install PREFIX=/usr/local [DESTDIR=...]`: the shared and static libraries, the public
# headers and softkvm.pc for pkg-config.
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include

install: $(SO_FILE) $(BUILD)/libsoftkvm.a
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/softkvm
	install -m 644 include/softkvm/*.h $(DESTDIR)$(INCLUDEDIR)/softkvm/
	install -m 755 $(SO_FILE) $(DESTDIR)$(LIBDIR)/
	ln -sf libsoftkvm.so.$(SO_VERSION) $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libsoftkvm.so
	install -m 644 $(BUILD)/libsoftkvm.a $(DESTDIR)$(LIBDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(SO_VERSION)|; s|@LIBS@|$(LIB_LIBS)|' \
	    softkvm.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/softkvm.pc

$(BUILD)/softkvm: $(VMM_OBJ) $(BUILD)/libsoftkvm.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

# tests/unit/test_kvm_abi.c compares the API with Linux's own powerpc <linux/kvm.h> and
# <asm/kvm.h> (Debian's linux-libc-dev-powerpc-cross): their linux/, asm/ and asm-generic/
# directories alone, ahead of the host's.
PPC_UAPI := /usr/powerpc-linux-gnu/include
$(BUILD)/tests/unit/test_kvm_abi.o: CFLAGS += -I$(BUILD)/ppc-uapi
$(BUILD)/tests/unit/test_kvm_abi.o: $(BUILD)/ppc-uapi/.links
$(BUILD)/ppc-uapi/.links:
	@mkdir -p $(@D)
	for d in linux asm asm-generic; do ln -sfn $(PPC_UAPI)/$$d $(@D)/$$d; done
	@touch $@

# the Book3S PR bare-metal runner (tests/guest64), on the public API
$(BUILD)/tests/guest64/runner: $(BUILD)/tests/guest64/runner.o $(BUILD)/libsoftkvm.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(BUILD)/libsoftkvm.a
	$(CC) $(LDSAN) -o $@ $^ -lcmocka $(LDLIBS)

$(BUILD)/tests/fuzz/fuzz_standalone: $(BUILD)/tests/fuzz/fuzz_standalone.o $(BUILD)/tests/fuzz/fuzz_core.o $(BUILD)/tests/fuzz/hang_watch.o $(BUILD)/libsoftkvm.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/fuzz/fuzz_loader_standalone: $(BUILD)/tests/fuzz/fuzz_loader_standalone.o $(BUILD)/tests/fuzz/fuzz_loader.o $(BUILD)/tests/fuzz/hang_watch.o $(FUZZ_VMM_OBJ)
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/fuzz/fuzz_virtq_standalone: $(BUILD)/tests/fuzz/fuzz_virtq_standalone.o $(BUILD)/tests/fuzz/fuzz_virtq.o $(BUILD)/tests/fuzz/fuzz_blk.o $(BUILD)/vmm/virtio/virtqueue.o $(BUILD)/vmm/virtio/net_frame.o $(BUILD)/vmm/virtio/net_offload.o
	$(CC) $(LDSAN) -o $@ $^ -lpthread

$(BUILD)/tests/fuzz/fuzz_p9_standalone: $(BUILD)/tests/fuzz/fuzz_p9_standalone.o $(BUILD)/tests/fuzz/fuzz_p9_sa.o $(P9_OBJ)
	$(CC) $(LDSAN) -o $@ $^

$(BUILD)/tests/fuzz/fuzz_vsock_standalone: $(BUILD)/tests/fuzz/fuzz_vsock_sa.o $(VSOCK_OBJ)
	$(CC) $(LDSAN) -o $@ $^

$(BUILD)/tests/fuzz/fuzz_vmm_papr_standalone: $(BUILD)/tests/fuzz/fuzz_vmm_papr_sa.o $(VMM_PAPR_OBJ)
	$(CC) $(LDSAN) -o $@ $^ -lfdt -lpthread

$(BUILD)/tests/fuzz/fuzz_vmm_papr_sa.o: tests/fuzz/fuzz_vmm_papr.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DFUZZ_VMM_PAPR_STANDALONE -c -o $@ $<

$(BUILD)/tests/fuzz/fuzz_papr_standalone: $(BUILD)/tests/fuzz/fuzz_papr_sa.o $(BUILD)/libsoftkvm.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/fuzz/fuzz_papr_sa.o: tests/fuzz/fuzz_papr.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DFUZZ_PAPR_STANDALONE -c -o $@ $<

$(BUILD)/tests/fuzz/fuzz_vsock_sa.o: tests/fuzz/fuzz_vsock.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DFUZZ_VSOCK_STANDALONE -c -o $@ $<

# the harness without its libFuzzer entry point
$(BUILD)/tests/fuzz/fuzz_p9_sa.o: tests/fuzz/fuzz_p9.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DFUZZ_P9_STANDALONE -c -o $@ $<

# libFuzzer builds of the same harnesses:
#   make fuzz && build-fuzz/fuzz_core -max_total_time=60
#   build-fuzz/fuzz_loader -max_total_time=60 CORPUS   (seed CORPUS with fuzz_loader_standalone -w)
#   build-fuzz/fuzz_virtq -max_total_time=60          (the virtqueue parser)
#   build-fuzz/fuzz_p9 -max_total_time=60             (the 9P server)
#   build-fuzz/fuzz_blk -max_total_time=60            (virtio-blk requests)
#   build-fuzz/fuzz_vsock -max_total_time=60          (virtio-vsock packets and host sockets)
#   build-fuzz/fuzz_papr -max_total_time=60           (Book3S HPT hcalls, SLB, translation)
#   build-fuzz/fuzz_vmm_papr -max_total_time=60       (the VMM's PAPR hypercalls, RTAS, XICS)
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang SAN=1 \
		OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
		build-fuzz/libsoftkvm.a build-fuzz/tests/fuzz/fuzz_core.o \
		build-fuzz/tests/fuzz/fuzz_virtq.o build-fuzz/vmm/virtio/virtqueue.o \
		build-fuzz/tests/fuzz/fuzz_loader.o $(patsubst %,build-fuzz/vmm/%.o,loader devtree ram log error) \
		build-fuzz/tests/fuzz/fuzz_p9.o build-fuzz/vmm/virtio/p9_server.o \
		build-fuzz/vmm/virtio/p9_fid.o build-fuzz/vmm/error.o build-fuzz/vmm/virtio/net_frame.o \
		build-fuzz/vmm/virtio/net_offload.o \
		build-fuzz/tests/fuzz/fuzz_vsock.o build-fuzz/vmm/virtio/vsock_proto.o \
		build-fuzz/vmm/virtio/vsock_opts.o build-fuzz/tests/fuzz/fuzz_papr.o \
		build-fuzz/tests/fuzz/fuzz_vmm_papr.o \
		$(patsubst %,build-fuzz/vmm/%.o,papr/hcall papr/rtas papr/xics pci/config pci/phb bus)
	clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc -Ivmm \
		-DFUZZ_BLK_MAIN -DFUZZ_NO_MAIN -o build-fuzz/fuzz_blk tests/fuzz/fuzz_blk.c \
		tests/fuzz/fuzz_virtq.c build-fuzz/vmm/virtio/virtqueue.o \
		build-fuzz/vmm/virtio/net_frame.o build-fuzz/vmm/virtio/net_offload.o -lpthread
	clang -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz_core \
		build-fuzz/tests/fuzz/fuzz_core.o build-fuzz/libsoftkvm.a $(LDLIBS)
	clang -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz_virtq \
		build-fuzz/tests/fuzz/fuzz_virtq.o build-fuzz/vmm/virtio/virtqueue.o \
		build-fuzz/vmm/virtio/net_frame.o build-fuzz/vmm/virtio/net_offload.o
	clang -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz_loader \
		build-fuzz/tests/fuzz/fuzz_loader.o $(patsubst %,build-fuzz/vmm/%.o,loader devtree ram log error) $(LDLIBS)
	clang -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz_p9 \
		build-fuzz/tests/fuzz/fuzz_p9.o build-fuzz/vmm/virtio/p9_server.o \
		build-fuzz/vmm/virtio/p9_fid.o build-fuzz/vmm/error.o
	clang -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz_vsock \
		build-fuzz/tests/fuzz/fuzz_vsock.o build-fuzz/vmm/virtio/vsock_proto.o \
		build-fuzz/vmm/virtio/vsock_opts.o build-fuzz/vmm/virtio/virtqueue.o \
		build-fuzz/vmm/error.o
	clang -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz_papr \
		build-fuzz/tests/fuzz/fuzz_papr.o build-fuzz/libsoftkvm.a $(LDLIBS)
	clang -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz_vmm_papr \
		build-fuzz/tests/fuzz/fuzz_vmm_papr.o \
		$(patsubst %,build-fuzz/vmm/%.o,papr/hcall papr/rtas papr/xics pci/config pci/phb bus log error) \
		-lfdt -lpthread

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# Bare-metal guest tests, hostile guests and the gdb test's guest (cross-compiled; see
# tests/guest/Makefile, tests/hostile/Makefile and tests/gdb/Makefile).
guest:
	$(MAKE) -C tests/guest OUT=$(abspath build/guest)
	$(MAKE) -C tests/hostile OUT=$(abspath build/hostile)
	$(MAKE) -C tests/gdb OUT=$(abspath build/gdb)
	$(MAKE) -C tests/guest64 OUT=$(abspath build/guest64)
	$(MAKE) -C tests/pseries OUT=$(abspath build/pseries)

# Same as the README's test command, scripts/check.sh.
check:
	scripts/check.sh

clean:
	rm -rf build build-asan build-fuzz build-fpu-portable

.PHONY: all guest check clean fuzz shared install
.SECONDARY:
-include $(LIB_OBJ:.o=.d) $(PIC_OBJ:.o=.d) $(VMM_OBJ:.o=.d) $(UNIT_BIN:=.d) $(CPU64_RAW:.o=.d) \
	 $(wildcard $(BUILD)/cpu64/use/*/*/*.o.d $(BUILD)/cpu64/use/src/kvm/book3s/*.d) \
	 $(wildcard $(BUILD)/cpu64/use/src/kvm/book3s/*.o.d) \
	 $(wildcard $(BUILD)/pic/cpu64/*/*.o.d $(BUILD)/pic/cpu64/use/src/kvm/book3s/*.o.d) \
	 $(wildcard $(BUILD)/tests/fuzz/*.d)
