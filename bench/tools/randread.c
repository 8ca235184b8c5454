// SPDX-License-Identifier: MIT
/* Guest-side tool for bench/io.py: COUNT reads of 4 KiB at random 4 KiB-aligned offsets of
 * DEVICE with O_DIRECT, one at a time (queue depth 1); prints the IOPS. busybox has no fio.
 * Built static with the cross compiler by bench/io.py. usage: randread DEVICE COUNT */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>

int main(int argc, char **argv)
{
	uint64_t size, x = 88172645463325252ull;
	long count = argc > 2 ? atol(argv[2]) : 1000;
	struct timespec t0, t1;
	void *buf;
	int fd;

	if (argc < 2 || (fd = open(argv[1], O_RDONLY | O_DIRECT)) < 0 ||
	    ioctl(fd, BLKGETSIZE64, &size) < 0 || posix_memalign(&buf, 4096, 4096)) {
		perror("randread");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < count; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if (pread(fd, buf, 4096, (off_t)((x % (size / 4096)) * 4096)) != 4096) {
			perror("randread: pread");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("RANDREAD reads=%ld seconds=%.4f iops=%.0f\n", count, s, count / s);
	return 0;
}
