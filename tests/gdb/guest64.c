// SPDX-License-Identifier: MIT
/* The bare-metal pseries guest tests/linux/test_gdb.py debugs (its pseries part): guest.c's
 * program for a little-endian POWER8 partition, built without optimisation and with debug
 * information. It fills a table of squares, prints "squares done" on the vty
 * (H_PUT_TERM_CHAR) and waits in finished() for the debugger to end the run. */
#include <stdint.h>

#define H_PUT_TERM_CHAR 0x58
#define VTY 0x71000000 /* the board's vty (hvc0) */

volatile uint64_t counter = 7; /* gdb reads and writes it */
uint64_t squares[8];

static void put_char(char ch)
{
	register uint64_t r3 __asm__("r3") = H_PUT_TERM_CHAR;
	register uint64_t r4 __asm__("r4") = VTY;
	register uint64_t r5 __asm__("r5") = 1;
	register uint64_t r6 __asm__("r6") = (uint64_t)(uint8_t)ch << 56; /* the first byte */

	__asm__ volatile("sc 1"
			 : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6)
			 :
			 : "r0", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "xer", "cr0",
			   "memory");
}

static void puts_vty(const char *s)
{
	while (*s)
		put_char(*s++);
}

uint64_t square(uint64_t x)
{
	uint64_t y = x * x;
	return y;
}

void work(void)
{
	for (uint64_t i = 0; i < 8; i++) {
		squares[i] = square(i);
		counter++;
	}
}

void finished(void)
{
	for (;;)
		;
}

int main(void)
{
	work();
	if (counter == 15)
		puts_vty("squares done\n");
	else
		puts_vty("counter changed\n");
	finished();
	return 0;
}
