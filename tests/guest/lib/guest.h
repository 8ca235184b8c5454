/* SPDX-License-Identifier: MIT */
/* Everything a test usually needs. */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H
#include "libc.h"
#include "ppc440.h"
#include "exceptions.h"
#include "report.h"
#endif
