// SPDX-License-Identifier: MIT
/* Guest-side tool for tests/linux/test_vsock.py (busybox has no AF_VSOCK client). Built static
 * with powerpc-linux-gnu-gcc by the test and added to the initrd as a second cpio.
 *   vsock_echo cid                 print the guest's CID (IOCTL_VM_SOCKETS_GET_LOCAL_CID)
 *   vsock_echo serve PORT          listen on PORT, print VSOCK-LISTENING, accept one
 *                                  connection and echo what it sends until its end, then
 *                                  close; print VSOCK-SERVED <bytes>
 *   vsock_echo send CID PORT N     connect to CID:PORT, send N pattern bytes (pattern(i) below),
 *                                  shut down sending, read the answer until its end and
 *                                  compare it with the same pattern; print
 *                                  VSOCK-SENT <N> GOT <bytes> MATCH|MISMATCH */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

static unsigned char pattern(unsigned long i)
{
	return (unsigned char)(i * 7 + (i >> 8) + (i >> 16));
}

static int serve(unsigned port)
{
	struct sockaddr_vm a = {.svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = port};
	static char buf[65536];
	unsigned long total = 0;
	int l = socket(AF_VSOCK, SOCK_STREAM, 0), s;

	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1)) {
		perror("vsock_echo: listen");
		return 1;
	}
	printf("VSOCK-LISTENING %u\n", port);
	fflush(stdout);
	s = accept(l, NULL, NULL);
	if (s < 0) {
		perror("vsock_echo: accept");
		return 1;
	}
	for (;;) {
		ssize_t n = read(s, buf, sizeof(buf)), off = 0;

		if (n <= 0)
			break;
		total += (unsigned long)n;
		while (off < n) {
			ssize_t w = write(s, buf + off, (size_t)(n - off));

			if (w <= 0) {
				perror("vsock_echo: write");
				return 1;
			}
			off += w;
		}
	}
	close(s);
	printf("VSOCK-SERVED %lu\n", total);
	return 0;
}

static int send_check(unsigned cid, unsigned port, unsigned long n)
{
	struct sockaddr_vm a = {.svm_family = AF_VSOCK, .svm_cid = cid, .svm_port = port};
	static unsigned char buf[65536];
	unsigned long sent = 0, got = 0;
	int s = socket(AF_VSOCK, SOCK_STREAM, 0), match = 1;

	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
		perror("vsock_echo: connect");
		printf("VSOCK-CONNECT-FAILED\n");
		return 1;
	}
	/* the host echoes as it reads: alternate writes and reads so neither side's buffers fill */
	fcntl(s, F_SETFL, O_NONBLOCK);
	while (sent < n || got < n) {
		ssize_t r;
		int progress = 0;

		if (sent < n) {
			size_t len = n - sent < sizeof(buf) ? n - sent : sizeof(buf);

			for (size_t i = 0; i < len; i++)
				buf[i] = pattern(sent + i);
			r = write(s, buf, len);
			if (r > 0) {
				sent += (unsigned long)r;
				progress = 1;
				if (sent == n)
					shutdown(s, SHUT_WR);
			}
		}
		r = read(s, buf, sizeof(buf));
		if (r == 0)
			break;
		if (r > 0) {
			for (ssize_t i = 0; i < r; i++)
				match &= buf[i] == pattern(got + (unsigned long)i);
			got += (unsigned long)r;
			progress = 1;
		}
		if (!progress)
			usleep(1000);
	}
	close(s);
	printf("VSOCK-SENT %lu GOT %lu %s\n", sent, got, match && got == n ? "MATCH" : "MISMATCH");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "cid")) {
		unsigned cid = 0;
		int fd = open("/dev/vsock", O_RDONLY);

		if (fd < 0 || ioctl(fd, IOCTL_VM_SOCKETS_GET_LOCAL_CID, &cid)) {
			perror("vsock_echo: /dev/vsock");
			return 1;
		}
		printf("VSOCK-CID %u\n", cid);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve((unsigned)strtoul(argv[2], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "send"))
		return send_check((unsigned)strtoul(argv[2], NULL, 0),
				  (unsigned)strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0));
	fprintf(stderr, "usage: vsock_echo cid | serve PORT | send CID PORT N\n");
	return 2;
}
