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
LDLIBS   := -lfdt -lpthread -lm

LIB_SRC  := $(sort $(wildcard src/cpu/*.c src/kvm/*.c src/kvm/booke/*.c))
VMM_SRC  := $(sort $(wildcard vmm/*.c vmm/*/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
VMM_OBJ  := $(VMM_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)

FUZZ_BIN := $(BUILD)/tests/fuzz/fuzz_standalone

all: $(BUILD)/softkvm $(UNIT_BIN) $(FUZZ_BIN)

$(BUILD)/libsoftkvm.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	ar rcs $@ $^

$(BUILD)/softkvm: $(VMM_OBJ) $(BUILD)/libsoftkvm.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(BUILD)/libsoftkvm.a
	$(CC) $(LDSAN) -o $@ $^ -lcmocka $(LDLIBS)

$(FUZZ_BIN): $(BUILD)/tests/fuzz/fuzz_standalone.o $(BUILD)/tests/fuzz/fuzz_core.o $(BUILD)/libsoftkvm.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

# libFuzzer build of the same harness: `make fuzz && build-fuzz/fuzz_core -max_total_time=60`
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang SAN=1 \
		OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
		build-fuzz/libsoftkvm.a build-fuzz/tests/fuzz/fuzz_core.o
	clang -fsanitize=fuzzer,address,undefined -o build-fuzz/fuzz_core \
		build-fuzz/tests/fuzz/fuzz_core.o build-fuzz/libsoftkvm.a $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# Bare-metal guest tests and hostile guests (cross-compiled; see tests/guest/Makefile and
# tests/hostile/Makefile).
guest:
	$(MAKE) -C tests/guest OUT=$(abspath build/guest)
	$(MAKE) -C tests/hostile OUT=$(abspath build/hostile)

# Same as the README's test command, scripts/check.sh.
check:
	scripts/check.sh

clean:
	rm -rf build build-asan build-fuzz build-fpu-portable

.PHONY: all guest check clean fuzz
.SECONDARY:
-include $(LIB_OBJ:.o=.d) $(VMM_OBJ:.o=.d) $(UNIT_BIN:=.d)
