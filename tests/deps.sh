#!/bin/sh
# Install the Debian packages casework needs to build and test.
# clang and its runtime (libFuzzer, in libclang-rt-14-dev on Debian 12)
# build the fuzz harnesses of tests/fuzz.  libpq talks to a class server;
# postgresql gives the throwaway server of tests/pg.
#
# deps.sh [build]: with "build", only what building the program needs
# (what `make demo` runs: a student's first command should not install a
# browser and a database server); without, everything the tests need too.
set -eu
pkgs="build-essential pkg-config libsqlite3-dev libcjson-dev uuid-dev nettle-dev libedit-dev
libutf8proc-dev libpq-dev"
if [ "${1:-}" != build ]; then
	pkgs="$pkgs libcmocka-dev bats sqlite3 python3 python3-jsonschema graphviz tmux zsh
chromium poppler-utils clang libclang-rt-14-dev valgrind gcovr postgresql postgresql-common"
fi
# make demo and make check run this every time: off Debian there is
# nothing it can do, so it says so and lets the build try
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: no dpkg-query (not Debian): install the equivalents of" \
		$pkgs "yourself"
	exit 0
fi
# one dpkg-query for all, so that the usual case (nothing missing) is quick
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $pkgs 2>/dev/null |
	sed -n 's/^\([^ ]*\) .*ok installed$/\1/p')
missing=""
for p in $pkgs; do
	case " $(echo $installed) " in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done
if [ -z "$missing" ]; then
	echo "deps: everything is installed"
	exit 0
fi
echo "deps: installing$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
