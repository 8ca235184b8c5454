// SPDX-License-Identifier: MIT
/* --net option parsing (see net.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/net.h"

/* "52:54:00:12:34:56": a unicast address. */
static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char end;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &end) != 6)
		return -EINVAL;
	for (unsigned i = 0; i < 6; i++) {
		if (s[3 * i + 2] != (i < 5 ? ':' : '\0'))
			return -EINVAL;
		mac[i] = (uint8_t)v[i];
	}
	return mac[0] & 1 ? -EINVAL : 0; /* multicast */
}

/* "8080": 1..65535 */
static int parse_port(const char *s, size_t len, uint16_t *port)
{
	unsigned long v = 0;

	if (!len || len > 5)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (!v || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

/* "" (any) or a dotted IPv4 address, len bytes at s. */
static int parse_addr(const char *s, size_t len, struct in_addr *a)
{
	char buf[INET_ADDRSTRLEN];

	a->s_addr = htonl(INADDR_ANY);
	if (!len)
		return 0;
	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, a) == 1 ? 0 : -EINVAL;
}

/* "tcp:127.0.0.1:2222-:22", "udp::5353-10.0.2.15:53", "tcp::8080-:80" (QEMU's syntax). */
static int parse_hostfwd(const char *s, struct net_hostfwd *f)
{
	const char *p = s, *c, *dash;

	if (!strncmp(p, "tcp:", 4))
		f->udp = false;
	else if (!strncmp(p, "udp:", 4))
		f->udp = true;
	else
		return -EINVAL;
	p += 4;
	c = strchr(p, ':');
	dash = strchr(p, '-');
	if (!c || !dash || c > dash || parse_addr(p, (size_t)(c - p), &f->host_addr) ||
	    parse_port(c + 1, (size_t)(dash - c - 1), &f->host_port))
		return -EINVAL;
	p = dash + 1;
	c = strchr(p, ':');
	if (!c || parse_addr(p, (size_t)(c - p), &f->guest_addr) ||
	    parse_port(c + 1, strlen(c + 1), &f->guest_port))
		return -EINVAL;
	return 0;
}

int net_parse_opts(const char *s, unsigned index, struct net_opts *o, struct vmm_err *err)
{
	char *copy, *rest, *tok;
	int rc = 0;

	memset(o, 0, sizeof(*o));
	memcpy(o->mac, (const uint8_t[]){0x52, 0x54, 0x00, 0x12, 0x34, 0x56}, 6);
	o->mac[5] = (uint8_t)(0x56 + index);
	copy = strdup(s);
	if (!copy)
		return vmm_err_set(err, -ENOMEM, "--net: out of memory");
	rest = copy;
	tok = strsep(&rest, ","); /* strsep, not strtok: "user,,x" has an empty suboption */
	if (tok && !strcmp(tok, "user")) {
		o->type = NET_USER;
	} else if (tok && !strcmp(tok, "tap")) {
		o->type = NET_TAP;
	} else {
		rc = vmm_err_set(err, -EINVAL, "--net %s: the first word is user or tap", s);
		goto out;
	}
	while ((tok = strsep(&rest, ",")) != NULL) {
		if (!*tok) {
			rc = vmm_err_set(err, -EINVAL, "--net %s: empty suboption", s);
			goto out;
		}
		if (!strncmp(tok, "mac=", 4)) {
			if (parse_mac(tok + 4, o->mac)) {
				rc = vmm_err_set(err, -EINVAL,
						 "--net %s: bad mac '%s' (unicast, e.g. "
						 "52:54:00:12:34:56)",
						 s, tok + 4);
				goto out;
			}
		} else if (o->type == NET_USER && !strncmp(tok, "hostfwd=", 8)) {
			if (o->nr_fwd == NET_MAX_HOSTFWD) {
				rc = vmm_err_set(err, -EINVAL, "--net %s: at most %d hostfwd", s,
						 NET_MAX_HOSTFWD);
				goto out;
			}
			if (parse_hostfwd(tok + 8, &o->fwd[o->nr_fwd])) {
				rc = vmm_err_set(err, -EINVAL,
						 "--net %s: bad hostfwd '%s' (PROTO:[HOSTADDR]:"
						 "HOSTPORT-[GUESTADDR]:GUESTPORT, e.g. "
						 "tcp:127.0.0.1:2222-:22)",
						 s, tok + 8);
				goto out;
			}
			o->nr_fwd++;
		} else if (o->type == NET_TAP && !strncmp(tok, "ifname=", 7)) {
			size_t len = strlen(tok + 7);

			if (!len || len >= sizeof(o->ifname)) {
				rc = vmm_err_set(err, -EINVAL, "--net %s: bad ifname '%s'", s,
						 tok + 7);
				goto out;
			}
			memcpy(o->ifname, tok + 7, len + 1);
		} else {
			rc = vmm_err_set(err, -EINVAL, "--net %s: unknown suboption '%s' for %s", s,
					 tok, o->type == NET_USER ? "user" : "tap");
			goto out;
		}
	}
	if (o->type == NET_TAP && !o->ifname[0])
		rc = vmm_err_set(err, -EINVAL, "--net %s: tap needs ifname=NAME", s);
out:
	free(copy);
	return rc;
}
