# Shared by the scripts in bench/peers/ (sourced, not run): usage from the
# header comment, tool checks that say how to get what is missing, and the
# packet count of a capture.

# The header comment of the sourcing script, from line 2 to `set -euo`.
peers_usage() {
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

peers_die() {
	echo "bench/peers/${0##*/}: $*" >&2
	exit 1
}

# peers_need TOOL HOW: exits 1 naming the tool and how to get it when it is not on PATH.
peers_need() {
	command -v "$1" >/dev/null 2>&1 || peers_die "$1 not found: $2 (scripts/bootstrap installs it)"
}

# peers_capture FILE: a readable capture, or exit 2.
peers_capture() {
	[[ -n ${1:-} ]] || { peers_usage >&2; exit 2; }
	[[ -r $1 ]] || { echo "bench/peers/${0##*/}: $1: no such capture (or unreadable)" >&2; exit 2; }
}

# peers_packets FILE: the number of packets in a classic pcap or pcapng file.
peers_packets() {
	python3 "$(dirname "${BASH_SOURCE[0]}")/pcap_count.py" "$1"
}

# peers_build BUILD TARGET...: builds the targets in BUILD (a release build is made when BUILD is missing).
peers_build() {
	local build=$1 log
	shift
	log=$(mktemp)
	if [[ ! -f $build/build.ninja ]]; then
		meson setup "$build" --buildtype=release >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
	fi
	ninja -C "$build" "$@" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
	rm -f "$log"
}
