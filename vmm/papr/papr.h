/* SPDX-License-Identifier: MIT */
/* PAPR numbers: hypercall opcodes and return codes as Linux names them
 * (arch/powerpc/include/asm/hvcall.h), RTAS statuses (asm/rtas.h and PAPR+). */
#ifndef VMM_PAPR_PAPR_H
#define VMM_PAPR_PAPR_H

/* Hypercall return codes (r3) */
#define H_SUCCESS	     0
#define H_HARDWARE	     (-1)
#define H_FUNCTION	     (-2)
#define H_PRIVILEGE	     (-3)
#define H_PARAMETER	     (-4)
#define H_RESOURCE	     (-16)
#define H_P2		     (-55)
#define H_P3		     (-56)
#define H_P4		     (-57)
#define H_UNSUPPORTED_FLAG   (-256) /* H_UNSUPPORTED_FLAG_START */

/* Hypercall opcodes (r3 at the call) */
#define H_LOGICAL_CI_LOAD	  0x3c
#define H_LOGICAL_CI_STORE	  0x40
#define H_GET_TERM_CHAR		  0x54
#define H_PUT_TERM_CHAR		  0x58
#define H_EOI			  0x64
#define H_CPPR			  0x68
#define H_IPI			  0x6c
#define H_IPOLL			  0x70
#define H_XIRR			  0x74
#define H_REGISTER_VPA		  0xdc
#define H_CEDE			  0xe0
#define H_CONFER		  0xe4
#define H_PROD			  0xe8
#define H_GET_CPU_CHARACTERISTICS 0x1c8
#define H_XIRR_X		  0x2fc
#define H_RANDOM		  0x300
#define H_SET_MODE		  0x31c
#define H_RTAS			  0xf000 /* KVMPPC_H_RTAS: QEMU's and KVM's private hcall */

/* H_SET_MODE resources */
#define H_SET_MODE_RESOURCE_SET_CIABR	    1
#define H_SET_MODE_RESOURCE_SET_DAWR0	    2
#define H_SET_MODE_RESOURCE_ADDR_TRANS_MODE 3
#define H_SET_MODE_RESOURCE_LE		    4

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
