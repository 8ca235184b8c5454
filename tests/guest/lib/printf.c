// SPDX-License-Identifier: MIT
/* Console output on the 440EP's UART0 (ns16550, byte registers) and a small printf:
 * %d %i %u %x %X %o %p %s %c %%, flags '-' and '0', a field width (or *), 'l'/'ll'/'h' sizes. */
#include "libc.h"

#define UART0		((volatile uint8_t *)0xef600300)
#define UART_THR	0
#define UART_LSR	5
#define UART_LSR_THRE	0x20

int putchar(int c)
{
	while (!(UART0[UART_LSR] & UART_LSR_THRE))
		;
	UART0[UART_THR] = (uint8_t)c;
	return (unsigned char)c;
}

int puts(const char *s)
{
	int n = 0;

	while (*s) {
		putchar(*s++);
		n++;
	}
	return n;
}

struct sink {
	char *buf;	/* NULL: the console */
	size_t size;
	size_t len;
};

static void emit(struct sink *k, char c)
{
	if (!k->buf)
		putchar(c);
	else if (k->len + 1 < k->size)
		k->buf[k->len] = c;
	k->len++;
}

static void emit_num(struct sink *k, unsigned long long v, unsigned base, bool upper,
		     bool neg, int width, bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + neg;
	if (!left && !zero)
		for (; width > len; width--)
			emit(k, ' ');
	if (neg)
		emit(k, '-');
	if (!left && zero)
		for (; width > len; width--)
			emit(k, '0');
	while (n)
		emit(k, tmp[--n]);
	if (left)
		for (; width > len; width--)
			emit(k, ' ');
}

static int format(struct sink *k, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		bool zero = false, left = false;
		int width = 0, size = 0;
		unsigned long long u;
		long long s;

		if (*fmt != '%') {
			emit(k, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'h' || *fmt == 'z') {
			if (*fmt == 'l')
				size++;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			s = size >= 2 ? va_arg(ap, long long) : va_arg(ap, int);
			u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
			emit_num(k, u, 10, false, s < 0, width, zero, left);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = size >= 2 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			emit_num(k, u, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16, *fmt == 'X',
				 false, width, zero, left);
			break;
		case 'p':
			emit(k, '0');
			emit(k, 'x');
			emit_num(k, (uintptr_t)va_arg(ap, void *), 16, false, false, 8, true, false);
			break;
		case 'c':
			emit(k, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len;

			if (!str)
				str = "(null)";
			len = (int)strlen(str);
			if (!left)
				for (; width > len; width--)
					emit(k, ' ');
			while (*str)
				emit(k, *str++);
			for (; width > len; width--)
				emit(k, ' ');
			break;
		}
		case '%':
			emit(k, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			emit(k, '%');
			emit(k, *fmt);
			break;
		}
	}
	if (k->buf && k->size)
		k->buf[k->len < k->size ? k->len : k->size - 1] = '\0';
	return (int)k->len;
}

int vprintf(const char *fmt, va_list ap)
{
	struct sink k = { 0 };

	return format(&k, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink k = { .buf = buf, .size = size };

	return format(&k, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
