#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's test command: installs what the tests need on Debian 12 (a no-op when it is
# there), builds everything and runs every test. Ends with "N passed, N failed".
set -e
cd "$(dirname "$0")/.."
scripts/install-deps.sh
exec tests/run-all.sh
