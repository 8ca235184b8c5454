#!/bin/sh
# SPDX-License-Identifier: MIT
# Every name of include/softkvm/ that stands for one of Linux's numbers (a capability, an exit
# reason, a ONE_REG id, an sregs bit, a flag) must be compared with Linux's own in
# tests/unit/test_kvm_abi.c, so that a new one cannot be added with a number of our own
# making. softkvm's own names (numbers Linux does not have) are listed here instead.
cd "$(dirname "$0")/.." || exit 1
OWN="SKVM_CAP_EXIT_TIMING SKVM_CAP_PPC_DCR SKVM_CAP_DECODE_CACHE_BYTES SKVM_CAP_COMPILED_RUNS SKVM_REG_PPC_DEC
SKVM_REG_PPC_FPR SKVM_REG_SIZE SKVM_SREGS_E_IMPL_440 SKVM_INTERNAL_ERROR_UNSUPPORTED
SKVM_INTERNAL_ERROR_CHECKSTOP"
status=0
names=$(grep -ohE '\bSKVM_(CAP|EXIT|REG|SREGS|INTERRUPT|GUESTDBG|DEBUG|MEM|IOEVENTFD_FLAG|IRQFD_FLAG|SYSTEM_EVENT|INTERNAL_ERROR|PPC_PVINFO|PPC_PAGE|PPC_1T|PPC_NO|API)_[A-Z0-9_]*[A-Z0-9]\b|\bSKVM_REG_PPC\b' \
	include/softkvm/*.h | sort -u)
for n in $names; do
	case " $(echo $OWN) " in *" $n "*) continue ;; esac
	grep -qE "\b$n\b" tests/unit/test_kvm_abi.c && continue
	echo "$n: not compared with Linux's number in tests/unit/test_kvm_abi.c"
	status=1
done
[ $status = 0 ] && echo "every Linux-numbered name of include/softkvm/ is checked against <linux/kvm.h>"
exit $status
