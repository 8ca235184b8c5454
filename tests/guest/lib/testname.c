// SPDX-License-Identifier: MIT
/* Compiled once per test program with -DTEST_NAME="<basename>". */
const char test_program_name[] = TEST_NAME;
