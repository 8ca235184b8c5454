# SPDX-License-Identifier: MIT
# A static ppc64le /init for tests/linux/test_pseries_boot.py, in assembly: it needs no C
# library (and no vector instructions). It prints "PSERIES-INIT-OK argv1=X" and then does
# what its first argument (a bare word on the kernel command line) says:
#   poweroff   reboot(LINUX_REBOOT_CMD_POWER_OFF)
#   reboot     reboot(LINUX_REBOOT_CMD_RESTART)
#   exit       exits: the kernel panics ("Attempted to kill init!")
#   echo       reads a line from the console (hvc0: H_GET_TERM_CHAR, woken by the vty's
#              interrupt through XICS), prints "ECHO <it>" and powers off
#   disk       mounts devtmpfs, prints "DISK-READ <the first 16 bytes of /dev/vda>", writes
#              "GUEST-WROTE-THIS" at byte 4096 of it, fsyncs and powers off
#   anything else, or none: waits forever in pause()
	.machine power8
	.abiversion 2
	.section .text
	.globl _start

	.set SYS_EXIT, 1
	.set SYS_WRITE, 4
	.set SYS_REBOOT, 88
	.set SYS_PAUSE, 29
	.set SYS_READ, 3
	.set SYS_OPEN, 5
	.set SYS_MOUNT, 21
	.set SYS_FSYNC, 118
	.set SYS_PREAD64, 179
	.set SYS_PWRITE64, 180
	.set O_RDWR, 2
	.set REBOOT_MAGIC1, 0xfee1dead
	.set REBOOT_MAGIC2, 672274793
	.set CMD_POWER_OFF, 0x4321fedc
	.set CMD_RESTART, 0x01234567

_start:
	bcl	20, 31, 1f
1:	mflr	r30
	ld	r4, 0(r1)		# argc
	li	r31, 0			# argv[1], or none
	cmpdi	r4, 2
	blt	2f
	ld	r31, 16(r1)
2:	addi	r4, r30, msg - 1b
	li	r5, msg_end - msg
	bl	write
	cmpdi	r31, 0
	beq	3f
	mr	r4, r31			# argv[1] and its length
	li	r5, 0
4:	lbzx	r6, r4, r5
	cmpwi	r6, 0
	beq	5f
	addi	r5, r5, 1
	b	4b
5:	bl	write
3:	addi	r4, r30, nl - 1b
	li	r5, 1
	bl	write
	cmpdi	r31, 0
	beq	wait
	lbz	r6, 0(r31)
	cmpwi	r6, 'p'
	beq	poweroff
	cmpwi	r6, 'r'
	beq	restart
	cmpwi	r6, 'd'
	beq	disk
	cmpwi	r6, 'e'
	bne	wait
	lbz	r6, 1(r31)		# "exit" or "echo"
	cmpwi	r6, 'c'
	beq	echo
	b	do_exit
wait:
	li	r0, SYS_PAUSE
	sc
	b	wait
poweroff:
	lis	r6, CMD_POWER_OFF@h
	ori	r6, r6, CMD_POWER_OFF@l
	b	reboot
restart:
	lis	r6, CMD_RESTART@h
	ori	r6, r6, CMD_RESTART@l
reboot:
	lis	r3, REBOOT_MAGIC1@h
	ori	r3, r3, REBOOT_MAGIC1@l
	rldicl	r3, r3, 0, 32		# zero-extended, as the C prototype's int reaches it
	lis	r4, REBOOT_MAGIC2@h
	ori	r4, r4, REBOOT_MAGIC2@l
	rldicl	r5, r6, 0, 32
	li	r0, SYS_REBOOT
	sc
	b	wait
do_exit:
	li	r3, 0
	li	r0, SYS_EXIT
	sc
	b	wait

echo:
	li	r3, 0			# read(0, buf, 64): one line in canonical mode
	addi	r4, r1, -128
	li	r5, 64
	li	r0, SYS_READ
	sc
	bso	failed
	mr	r29, r3
	addi	r4, r30, msg_echo - 1b
	li	r5, msg_echo_end - msg_echo
	bl	write
	addi	r4, r1, -128
	mr	r5, r29
	bl	write
	b	poweroff

disk:
	addi	r3, r30, str_dev - 1b	# mount("dev", "/dev", "devtmpfs", 0, NULL)
	addi	r4, r30, str_slash_dev - 1b
	addi	r5, r30, str_devtmpfs - 1b
	li	r6, 0
	li	r7, 0
	li	r0, SYS_MOUNT
	sc
	addi	r3, r30, str_vda - 1b	# open("/dev/vda", O_RDWR)
	li	r4, O_RDWR
	li	r0, SYS_OPEN
	sc
	bso	failed
	mr	r29, r3
	addi	r4, r1, -64		# pread64(fd, buf, 16, 0): buf in the red zone
	li	r5, 16
	li	r6, 0
	li	r0, SYS_PREAD64
	sc
	cmpdi	r3, 16
	bne	failed
	addi	r4, r30, msg_read - 1b
	li	r5, msg_read_end - msg_read
	bl	write
	addi	r4, r1, -64
	li	r5, 16
	bl	write
	addi	r4, r30, nl - 1b
	li	r5, 1
	bl	write
	mr	r3, r29			# pwrite64(fd, "GUEST-WROTE-THIS", 16, 4096)
	addi	r4, r30, str_wrote - 1b
	li	r5, 16
	li	r6, 4096
	li	r0, SYS_PWRITE64
	sc
	cmpdi	r3, 16
	bne	failed
	mr	r3, r29
	li	r0, SYS_FSYNC
	sc
	bso	failed
	b	poweroff
failed:				# a system call of echo or disk failed
	addi	r4, r30, msg_failed - 1b
	li	r5, msg_failed_end - msg_failed
	bl	write
	b	poweroff

# write(1, r4, r5)
write:
	li	r3, 1
	li	r0, SYS_WRITE
	sc
	blr

	.section .rodata
msg:	.ascii "PSERIES-INIT-OK argv1="
msg_end:
nl:	.ascii "\n"
msg_read:	.ascii "DISK-READ "
msg_read_end:
msg_echo:	.ascii "ECHO "
msg_echo_end:
msg_failed:	.ascii "FAILED\n"
msg_failed_end:
str_dev:	.asciz "dev"
str_slash_dev:	.asciz "/dev"
str_devtmpfs:	.asciz "devtmpfs"
str_vda:	.asciz "/dev/vda"
str_wrote:	.ascii "GUEST-WROTE-THIS"
