/**
 * Stand-ins for the phone's own tools (getprop, dumpsys, input, svc, settings, taskset, logcat, log, am, pm, cmd,
 * setprop, nproc, uname), as POSIX sh scripts put in the sandbox's /system/bin. They read the sandbox's sysfs files
 * and the simulator's state folder, and every call is recorded in `state/events` (fields split by \x1f, records
 * ended by \x1e\n) so tests can assert what the device plugin asked the phone to do.
 */
import type { SimDeviceProfile } from './profiles.js';
import { coreCount } from './profiles.js';

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The shim scripts by file name, for a sandbox at `root` with its state in `state`. */
export function shimScripts(root: string, state: string, profile: SimDeviceProfile): Record<string, string> {
  const head = `#!/bin/sh
# gaugeNN ADB device simulator shim (not the real Android tool)
R=${q(root)}
S=${q(state)}
rec() { { printf '%s' "$(date +%s%3N)"; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\036\\n'; } >> "$S/events"; }
`;
  const release = profile.kernelVersion.split(' ')[2] ?? '5.10.0';
  const s: Record<string, string> = {};

  s.getprop = `${head}rec getprop "$@"
if [ $# -eq 0 ]; then
  sort "$S/props" | while IFS= read -r l; do printf '[%s]: [%s]\\n' "\${l%%=*}" "\${l#*=}"; done
  exit 0
fi
awk -v k="$1" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); f = 1; exit } END { if (!f) exit 1 }' "$S/props" || printf '%s\\n' "$2"
`;

  s.setprop = `${head}rec setprop "$@"
if [ $# -ne 2 ]; then echo "usage: setprop NAME VALUE" >&2; exit 1; fi
case "$1" in ro.*) if awk -v k="$1" 'index($0, k "=") == 1 { f = 1 } END { exit !f }' "$S/props"; then
  echo "Failed to set property '$1' to '$2'." >&2; exit 1; fi;; esac
awk -v k="$1" 'index($0, k "=") != 1' "$S/props" > "$S/props.tmp"; printf '%s=%s\\n' "$1" "$2" >> "$S/props.tmp"; mv "$S/props.tmp" "$S/props"
`;

  s.nproc = `${head}rec nproc "$@"
echo ${coreCount(profile)}
`;

  s.uname = `${head}rec uname "$@"
[ $# -eq 0 ] && set -- -s
out=""
for a in "$@"; do case "$a" in
  -a) out="Linux localhost ${release} #1 SMP PREEMPT aarch64 Toybox";;
  -s) out="\${out:+$out }Linux";; -n) out="\${out:+$out }localhost";; -r) out="\${out:+$out }${release}";;
  -m|-p) out="\${out:+$out }aarch64";; -o) out="\${out:+$out }Toybox";; esac; done
echo "$out"
`;

  s.dumpsys = `${head}rec dumpsys "$@"
B="$R/sys/class/power_supply/battery"
case "$1" in
battery)
  shift
  case "$1" in
    unplug) touch "$S/battery-unplugged"; exit 0;;
    reset) rm -f "$S/battery-unplugged" "$S/battery-level"; exit 0;;
    set) case "$2" in level) echo "$3" > "$S/battery-level";; usb|ac) [ "$3" = 0 ] && touch "$S/battery-unplugged";; esac; exit 0;;
  esac
  usb=$(cat "$R/sys/class/power_supply/usb/online")
  frozen=""; [ -e "$S/battery-unplugged" ] && { usb=0; frozen=1; }
  level=$(cat "$S/battery-level" 2>/dev/null || cat "$B/capacity")
  case "$(cat "$B/status")" in Charging) st=2;; Discharging) st=3;; "Not charging") st=4;; Full) st=5;; *) st=1;; esac
  echo "Current Battery Service state:"
  [ -n "$frozen" ] && echo "  (UPDATES STOPPED -- use 'reset' to restart)"
  echo "  AC powered: false"
  if [ "$usb" = 1 ]; then echo "  USB powered: true"; else echo "  USB powered: false"; fi
  echo "  Wireless powered: false"
  echo "  Max charging current: 500000"
  echo "  Max charging voltage: 5000000"
  echo "  Charge counter: $((level * 37000))"
  echo "  status: $st"
  echo "  health: 2"
  echo "  present: true"
  echo "  level: $level"
  echo "  scale: 100"
  echo "  voltage: $(( $(cat "$B/voltage_now") / 1000 ))"
  echo "  temperature: $(cat "$B/temp")"
  echo "  technology: Li-ion"
  ;;
thermalservice)
  echo "IsStatusOverride: false"
  echo "Thermal Status: $(cat "$S/thermal-status" 2>/dev/null || echo 0)"
  echo "Cached temperatures:"
  echo "HAL Ready: true"
  echo "HAL connection:"
  printf '\\tThermalHAL 2.0 connected: yes\\n'
  echo "Current temperatures from HAL:"
  i=0
  while [ -d "$R/sys/class/thermal/thermal_zone$i" ]; do
    z="$R/sys/class/thermal/thermal_zone$i"; i=$((i + 1))
    t=$(cat "$z/type"); case "$t" in cpu*) ty=0;; gpu*) ty=1;; battery) ty=2;; skin*) ty=3;; *) continue;; esac
    awk -v m="$(cat "$z/temp")" -v n="$t" -v ty="$ty" 'BEGIN { printf "\\tTemperature{mValue=%.1f, mType=%d, mName=%s, mStatus=0}\\n", m / 1000, ty, n }'
  done
  ;;
SurfaceFlinger)
  echo "Build configuration: [sf PRESENT_TIME_OFFSET=0 FORCE_HWC_FOR_RBG_TO_YUV=1 MAX_VIRT_DISPLAY_DIM=4096 RUNNING_WITHOUT_SYNC_FRAMEWORK=0 NUM_FRAMEBUFFER_SURFACE_BUFFERS=3]"
  ${profile.gles ? `echo ${q(`GLES: ${profile.gles}`)}` : ':'}
  ;;
power)
  echo "POWER MANAGER (dumpsys power)"
  if [ "$(cat "$S/screen")" = on ]; then echo "  mWakefulness=Awake"; else echo "  mWakefulness=Asleep"; fi
  echo "  mStayOn=$(cat "$S/stayon")"
  ;;
esac
exit 0
`;

  s.input = `${head}rec input "$@"
[ "$1" = keyevent ] || exit 0
case "$2" in
  26|KEYCODE_POWER) if [ "$(cat "$S/screen")" = on ]; then echo off > "$S/screen"; else echo on > "$S/screen"; fi;;
  223|KEYCODE_SLEEP) echo off > "$S/screen";;
  224|KEYCODE_WAKEUP) echo on > "$S/screen";;
esac
`;

  s.svc = `${head}rec svc "$@"
case "$1 $2" in
  "wifi enable") echo enabled > "$S/wifi";; "wifi disable") echo disabled > "$S/wifi";;
  "data enable") echo enabled > "$S/data";; "data disable") echo disabled > "$S/data";;
  "power stayon") echo "\${3:-true}" > "$S/stayon";;
  *) echo "usage: svc [wifi|data|power] ..." >&2; exit 1;;
esac
`;

  s.settings = `${head}rec settings "$@"
[ "$1" = --user ] && shift 2
F="$S/settings"; touch "$F"
case "$1" in
  get) awk -v k="$2/$3" 'index($0, k "=") == 1 { print substr($0, length(k) + 2); f = 1; exit } END { if (!f) print "null" }' "$F";;
  put) awk -v k="$2/$3" 'index($0, k "=") != 1' "$F" > "$F.tmp"; printf '%s/%s=%s\\n' "$2" "$3" "$4" >> "$F.tmp"; mv "$F.tmp" "$F";;
  delete) awk -v k="$2/$3" 'index($0, k "=") != 1' "$F" > "$F.tmp"; mv "$F.tmp" "$F";;
  list) awk -v ns="$2" 'index($0, ns "/") == 1 { print substr($0, length(ns) + 2) }' "$F";;
  *) echo "usage: settings [--user N] get|put|delete|list NAMESPACE KEY [VALUE]" >&2; exit 1;;
esac
`;

  // taskset records the mask and runs the command without pinning: the host has other CPUs than the phone.
  s.taskset = `${head}N=${coreCount(profile)}
all=$(printf '%x' $(( (1 << N) - 1 )))
if [ "$1" = -a ]; then shift; fi
if [ "$1" = -p ]; then
  rec taskset "$@"
  if [ $# -eq 2 ]; then echo "pid $2's current affinity mask: $all"; else echo "pid $3's current affinity mask: $all"; echo "pid $3's new affinity mask: \${2#0x}"; fi
  exit 0
fi
mask=\${1#0x}; shift
rec taskset "$mask" "$@"
if [ $(( 0x$mask & 0x$all )) -eq 0 ]; then echo "taskset: sched_setaffinity: Invalid argument" >&2; exit 1; fi
exec "$@"
`;

  s.logcat = `${head}rec logcat "$@"
L="$S/logcat"; dump=0; silent=0; tags=""
while [ $# -gt 0 ]; do
  case "$1" in
    -c) : > "$L"; exit 0;;
    -d) dump=1;; -s) silent=1;;
    -v|-b|-t|-T|-f|-r|-n|-e|--pid) shift;;
    -*) ;;
    *) t=\${1%%:*}; lv=\${1#*:}; [ "$t" = "$1" ] && lv=V; if [ "$t" != "*" ] && [ "$lv" != S ]; then tags="$tags $t"; fi;;
  esac
  shift
done
filter() { if [ -z "$tags" ]; then cat; else awk -v tags="$tags" 'BEGIN { n = split(tags, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 } { t = $6; sub(/:$/, "", t); if (t in want) print }'; fi; }
if [ $dump = 1 ]; then filter < "$L"; else tail -n +1 -f "$L" | filter; fi
`;

  s.log = `${head}rec log "$@"
p=I; t=log
while [ $# -gt 0 ]; do case "$1" in -p) p=$(echo "$2" | cut -c1 | tr a-z A-Z); shift 2;; -t) t=$2; shift 2;; *) break;; esac; done
printf '%s %5d %5d %s %-8s: %s\\n' "$(date '+%m-%d %H:%M:%S.%3N')" $$ $$ "$p" "$t" "$*" >> "$S/logcat"
`;

  s.am = `${head}rec am "$@"
case "$1" in
  start|start-activity) comp=""; while [ $# -gt 0 ]; do [ "$1" = -n ] && comp=$2; shift; done; echo "Starting: Intent { cmp=$comp }";;
  startservice|start-service|start-foreground-service) echo "Starting service: Intent { }";;
  broadcast) echo "Broadcasting: Intent { }"; echo "Broadcast completed: result=0";;
  force-stop|kill|kill-all) ;;
  *) echo "usage: am [start|startservice|broadcast|force-stop|kill] ..." >&2; exit 1;;
esac
`;

  s.pm = `${head}rec pm "$@"
P="$S/packages"
case "$1 $2" in
  "list packages") sed 's/^/package:/' "$P";;
  "list features") printf 'feature:reqGlEsVersion=0x30002\\nfeature:android.hardware.touchscreen\\nfeature:android.hardware.vulkan.level=1\\nfeature:android.hardware.wifi\\n';;
  path\\ *) grep -qx -- "$2" "$P" && echo "package:/data/app/$2/base.apk" || exit 1;;
  install\\ *) echo Success;;
  clear\\ *) echo Success;;
  *) echo "usage: pm [list packages|list features|path|install|clear] ..." >&2; exit 1;;
esac
`;

  s.cmd = `${head}rec cmd "$@"
svc=$1; shift
case "$svc" in
  thermalservice) case "$1" in override-status) echo "$2" > "$S/thermal-status";; reset) rm -f "$S/thermal-status";; esac;;
  battery) exec "$R/system/bin/dumpsys" battery "$@";;
  package) exec "$R/system/bin/pm" "$@";;
  activity) exec "$R/system/bin/am" "$@";;
esac
exit 0
`;
  // A phone has app_process; the simulator has no Android runtime, so say how to provide a stand-in.
  for (const name of ['app_process', 'app_process64']) {
    s[name] = `${head}rec ${name} "$@"
echo "${name}: the ADB device simulator has no Android runtime; install a stand-in with sim.installTool('/system/bin/${name}', script)" >&2
exit 1
`;
  }
  return s;
}

/**
 * A replaying stand-in for a runner binary: records its arguments, appends logcat lines (`P\tTAG\tMSG` per line in
 * `logcatFile`), waits `runMs`, prints `outFile` and exits with `exitCode`. Real captured output stays where it
 * is (a test reads a fixture and hands it over); nothing of it is stored in the repository.
 */
export function replayScript(state: string, name: string, outFile: string, logcatFile: string, runMs: number, exitCode: number): string {
  return `#!/bin/sh
# gaugeNN ADB device simulator: replaying stand-in for ${name} (not the real tool)
S=${q(state)}
{ printf '%s' "$(date +%s%3N)"; printf '\\037%s' ${q(name)}; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\036\\n'; } >> "$S/events"
tab=$(printf '\\t')
while IFS="$tab" read -r p t m; do
  [ -n "$t" ] && printf '%s %5d %5d %s %-8s: %s\\n' "$(date '+%m-%d %H:%M:%S.%3N')" $$ $$ "$p" "$t" "$m" >> "$S/logcat"
done < ${q(logcatFile)}
${runMs > 0 ? `sleep ${(runMs / 1000).toFixed(3)}` : ':'}
cat ${q(outFile)}
exit ${exitCode}
`;
}
