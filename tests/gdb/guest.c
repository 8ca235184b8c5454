// SPDX-License-Identifier: MIT
/* The bare-metal guest tests/linux/test_gdb.py debugs: built without optimisation and with
 * debug information, so that gdb finds its functions, lines and variables. It fills a table
 * of squares, prints "squares done" on the UART and powers the board off. */
#include <stdint.h>

#define UART_THR ((volatile uint8_t *)0xef600300)
#define POWEROFF ((volatile uint32_t *)0xef701000) /* syscon-poweroff: 0x5555 */

volatile uint32_t counter = 7; /* gdb reads and writes it */
uint32_t squares[8];

static void puts_uart(const char *s)
{
	while (*s)
		*UART_THR = (uint8_t)*s++;
}

uint32_t square(uint32_t x)
{
	uint32_t y = x * x;
	return y;
}

void work(void)
{
	for (uint32_t i = 0; i < 8; i++) {
		squares[i] = square(i);
		counter++;
	}
}

int main(void)
{
	work();
	if (counter == 15)
		puts_uart("squares done\n");
	else
		puts_uart("counter changed\n");
	*POWEROFF = 0x5555;
	for (;;)
		;
}
