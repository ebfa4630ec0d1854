# Shared by the shell benches (sourced, not run): the guard that keeps a
# measurement off a server someone else started, and the /proc reads.
# run-edgepix.sh and the peers' run-ipx.sh `start` reuse a running server
# (bench-http.sh relies on that), so a bench that must time a server it
# started itself checks the PID file first.

# refuse_running PIDFILE NAME: exit 1 when NAME's bench server is up.
refuse_running() {
  if [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; then
    echo "the $2 bench server is already running ($1); stop it first" >&2
    exit 1
  fi
}

# proc_field PID N: field N of /proc/PID/stat (14 utime, 15 stime, 10 minflt).
proc_field() { awk -v f="$2" '{print $f}' "/proc/$1/stat"; }

# cpu_ticks PID: user + system CPU of PID so far, in clock ticks.
cpu_ticks() { echo $(( $(proc_field "$1" 14) + $(proc_field "$1" 15) )); }
