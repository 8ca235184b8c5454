/* SPDX-License-Identifier: MIT */
/* PAPR numbers the VMM needs beyond the public <softkvm/papr.h> (hypercall opcodes and return
 * codes, SKVM_H_*): H_GET_CPU_CHARACTERISTICS and the H_REGISTER_VPA
 * subfunctions (Linux's arch/powerpc/include/asm/hvcall.h), RTAS statuses (asm/rtas.h and
 * PAPR+). */
#ifndef VMM_PAPR_PAPR_H
#define VMM_PAPR_PAPR_H

#include "softkvm/papr.h"

#define H_GET_CPU_CHARACTERISTICS 0x1c8

/* H_REGISTER_VPA subfunctions: flags = subfunction << H_VPA_FUNC_SHIFT */
#define H_VPA_FUNC_SHIFT (63 - 18)
#define H_VPA_REG_VPA	 1
#define H_VPA_REG_DTL	 2
#define H_VPA_REG_SLB	 3
#define H_VPA_DEREG_VPA	 5
#define H_VPA_DEREG_DTL	 6
#define H_VPA_DEREG_SLB	 7

/* RTAS call statuses (the first return cell) */
#define RTAS_OUT_SUCCESS	 0
#define RTAS_OUT_NO_ERRORS_FOUND 1
#define RTAS_OUT_HW_ERROR	 (-1)
#define RTAS_OUT_BUSY		 (-2)
#define RTAS_OUT_PARAM_ERROR	 (-3)
#define RTAS_OUT_NOT_SUPPORTED	 (-3)
#define RTAS_OUT_NOT_AUTHORIZED	 (-9002)

#endif
