#!/usr/bin/env bash
# Install test for the Linux packages (SPEC §11), as CI runs it:
#
#   packaging/install-test.sh BUILD_DIR
#
# BUILD_DIR is a configured build tree (cmake -S . -B BUILD_DIR ...). The script brings it up
# to date, builds the .deb packages, the .tar.gz and the .rpm packages with cpack, and checks
# their metadata. It installs switchboard-server with dpkg and checks the service it sets up:
# the systemd unit (systemd-analyze verify and security), the system user, the settings,
# secret and data folders, the unit's own command line run as that user (it must answer
# /health and stop with exit code 0 on SIGTERM), an upgrade that keeps local settings and the
# secret, removal and purge (nothing left behind). It reads the .rpm's files, scriptlets and
# requirements. With the console built it installs the switchboard package too.
#
# It needs root (or sudo), and a machine where switchboard-server is not installed: the test
# purges the package, which deletes /etc/switchboard, /var/lib/switchboard and the switchboard
# user. No running systemd is needed. Any failure exits non-zero, and whatever the script
# installed or started is removed on the way out.

set -euo pipefail

fail() {
    echo "install-test: $*" >&2
    exit 1
}

[[ $# -eq 1 ]] || fail "usage: $0 BUILD_DIR"
[[ -f $1/CMakeCache.txt ]] || fail "$1 is not a configured build tree (no CMakeCache.txt)"
build_dir=$(cd "$1" && pwd)

if [[ $(id -u) -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    fail "dpkg needs root: run as root or install sudo"
fi

for tool in systemd-analyze rpm rpmbuild curl setpriv; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs it)"
done

cache_value() {
    sed -n "s/^$1:[A-Z]*=//p" "$build_dir/CMakeCache.txt"
}
version=$(cache_value CMAKE_PROJECT_VERSION)
[[ -n $version ]] || fail "no CMAKE_PROJECT_VERSION in $build_dir/CMakeCache.txt"
with_console=false
[[ $(cache_value SWITCHBOARD_GUI) == ON ]] && with_console=true

# The service's paths, as the package and its unit name them.
service_user=switchboard
conf_dir=/etc/switchboard
conf_file=$conf_dir/switchboard.conf
env_file=$conf_dir/switchboard.env
data_dir=/var/lib/switchboard
unit_name=switchboard-server.service
unit_file=/usr/lib/systemd/system/$unit_name
wants_link=/etc/systemd/system/multi-user.target.wants/$unit_name

package_state() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true
}

# The purge at the end deletes the service's data: refuse to run where it could be real.
if [[ -n $(package_state switchboard-server) && $(package_state switchboard-server) != *not-installed* ]]; then
    fail "switchboard-server is installed here ($(package_state switchboard-server)); this test" \
        "purges it, deleting $data_dir: run it on a scratch machine, or purge the package first"
fi
for leftover in "$conf_dir" "$data_dir"; do
    [[ ! -e $leftover ]] || fail "$leftover exists; this test would delete it (move it away first)"
done
getent passwd "$service_user" >/dev/null && fail "a user $service_user exists already; this test would delete it"

# What this script installed or started, undone however it ends.
installed=()
pids=()
scratch=$(mktemp -d)
cleanup() {
    local package pid
    for pid in "${pids[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    for package in "${installed[@]}"; do
        "${as_root[@]}" dpkg --purge "$package" >/dev/null ||
            echo "install-test: could not purge $package" >&2
    done
    rm -rf "$scratch"
}
trap cleanup EXIT

echo "== build"
cmake --build "$build_dir" --parallel "${CMAKE_BUILD_PARALLEL_LEVEL:-2}"

echo "== cpack"
cd "$build_dir"
rm -f switchboard*.deb switchboard*.deb.sha256 switchboard-*.tar.gz switchboard-*.tar.gz.sha256 \
    switchboard*.rpm switchboard*.rpm.sha256
cpack -G DEB
cpack -G TGZ
cpack -G RPM

# The one file cpack made whose name matches the glob $1.
package_file() {
    local files
    mapfile -t files < <(compgen -G "$1" || true)
    [[ ${#files[@]} -eq 1 ]] || fail "cpack made ${#files[@]} files named $1: ${files[*]}"
    echo "${files[0]}"
}

server_deb=$(package_file "switchboard-server_$version-*_*.deb")
mapfile -t all_debs < <(ls switchboard*.deb)
expected=1
$with_console && expected=2
[[ ${#all_debs[@]} -eq $expected ]] || fail "expected $expected .deb files, got: ${all_debs[*]}"

tarball=$(package_file "switchboard-$version-*.tar.gz")
# Listings are read whole before grep: with pipefail, grep -q closing a pipe early would
# turn a match into a failure (SIGPIPE in the writer).
listing=$(tar -tzf "$tarball")
grep -q '/bin/switchboard-server$' <<<"$listing" || fail "$tarball has no bin/switchboard-server"
# A .tar.gz has no fixed prefix: the unit and the settings come as samples, not in /etc.
for file in share/switchboard/service/$unit_name share/switchboard/service/switchboard.conf; do
    grep -q "/$file\$" <<<"$listing" || fail "$tarball has no $file"
done
if grep -q -E '(^|/)etc/' <<<"$listing"; then
    fail "$tarball has files under etc/"
fi

field() { dpkg-deb --field "$1" "$2"; }

echo "== $server_deb"
dpkg-deb --info "$server_deb"
[[ $(field "$server_deb" Package) == switchboard-server ]] || fail "wrong package name"
server_depends=$(field "$server_deb" Depends)
[[ $server_depends == *libqt6core6* ]] || fail "Depends lacks the Qt libraries (shlibdeps off?)"
[[ $server_depends == *libqt6sql6-sqlite* ]] || fail "Depends lacks the SQLite driver"
[[ $server_depends == *adduser* ]] || fail "Depends lacks adduser (postinst makes the user)"
[[ $server_depends == *init-system-helpers* ]] || fail "Depends lacks init-system-helpers"
if [[ $server_depends =~ libqt6(gui|widgets|charts) ]]; then
    fail "the headless server depends on GUI libraries: $server_depends"
fi
listing=$(dpkg-deb --contents "$server_deb")
for file in ./usr/bin/switchboard-server ".${unit_file}" ".${conf_file}"; do
    grep -q " $file\$" <<<"$listing" || fail "$server_deb lacks $file"
done
# The secret is made by postinst, never shipped (an upgrade would replace it); the data
# folder is made by postinst too, owned by the service's user.
for file in ".${env_file}" ".${data_dir}/"; do
    if grep -q " $file\$" <<<"$listing"; then
        fail "$server_deb ships $file"
    fi
done
[[ $(dpkg-deb --info "$server_deb" conffiles) == "$conf_file" ]] ||
    fail "the conffiles of $server_deb are not just $conf_file"
for script in postinst prerm postrm; do
    dpkg-deb --info "$server_deb" "$script" >"$scratch/$script" || fail "$server_deb has no $script"
    sh -n "$scratch/$script" || fail "the $script of $server_deb is not valid sh"
done

echo "== install $server_deb"
"${as_root[@]}" dpkg -i "$server_deb" </dev/null
installed+=(switchboard-server)

[[ -x /usr/bin/switchboard-server ]] || fail "/usr/bin/switchboard-server missing after install"
printed=$(/usr/bin/switchboard-server --version)
echo "$printed"
[[ $printed == "switchboard-server $version" ]] || fail "--version printed '$printed'"
/usr/bin/switchboard-server --help >/dev/null || fail "--help failed"

# Whether process $1 still runs (a child that has exited stays a zombie until waited for,
# and kill -0 still reaches a zombie).
running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    [[ ${stat##*) } != Z* ]]
}

# Waits until the server started in the background as $1 has written its "listening on" line
# to the file $2, and prints the port; fails, showing what it wrote, if it does not.
wait_listening() {
    local pid=$1 log=$2 line
    for _ in $(seq 100); do
        grep -q '^listening on http://' "$log" && break
        running "$pid" || break
        sleep 0.1
    done
    line=$(grep -m1 '^listening on http://' "$log") || {
        cat "$log" >&2
        fail "the installed server did not start"
    }
    echo "$line" >&2
    echo "${line##*:}"
}

# Sends SIGTERM to $1 and waits for it: a graceful stop must end with exit code 0 within the
# unit's TimeoutStopSec (10 s).
stop_gracefully() {
    local pid=$1 status=0
    kill -TERM "$pid"
    for _ in $(seq 100); do
        running "$pid" || break
        sleep 0.1
    done
    running "$pid" && fail "the server did not stop within 10 s of SIGTERM"
    wait "$pid" || status=$?
    [[ $status -eq 0 ]] || fail "the installed server exited with $status on SIGTERM"
}

# Start the installed hub on a free loopback port and stop it as a service manager would.
JWT_SECRET_KEY=install-test-key /usr/bin/switchboard-server --bind 127.0.0.1 --port 0 \
    --data-dir "$scratch/data" \
    2>"$scratch/stderr" &
pids+=($!)
wait_listening "${pids[-1]}" "$scratch/stderr" >/dev/null
stop_gracefully "${pids[-1]}"
unset 'pids[-1]'

echo "== the service"
# The unit as systemd reads it. systemd-analyze works without a running systemd; whatever
# it prints is about our unit (it loads nothing else), so any output is a failure.
verify_output=$(systemd-analyze verify "$unit_file" 2>&1) || {
    echo "$verify_output" >&2
    fail "systemd-analyze verify rejects $unit_file"
}
[[ -z $verify_output ]] || {
    echo "$verify_output" >&2
    fail "systemd-analyze verify warns about $unit_file"
}
echo "systemd-analyze verify $unit_file: no findings"
# Its sandbox: an exposure above 2.0 (of 10) means hardening was lost. Reading a unit file
# without a running systemd (--offline) came with systemd 250 (Debian 12 has 252).
systemd_version=$(systemd-analyze --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')
if ((${systemd_version:-0} >= 250)); then
    security=$(systemd-analyze security --offline=yes --threshold=20 "$unit_file" 2>&1) || {
        echo "$security" >&2
        fail "$unit_file: the sandbox got weaker (systemd-analyze security above 2.0)"
    }
    grep 'Overall exposure level' <<<"$security"
else
    echo "install-test: note: systemd $systemd_version cannot rate a unit offline; security not checked"
fi

# The system user, its group and home.
passwd_entry=$(getent passwd "$service_user") || fail "no user $service_user after install"
IFS=: read -r _ _ uid gid _ home shell <<<"$passwd_entry"
group_entry=$(getent group "$service_user") || fail "no group $service_user after install"
[[ $(cut -d: -f3 <<<"$group_entry") == "$gid" ]] || fail "$service_user's primary group is not $service_user"
sys_uid_max=$(awk '$1 == "SYS_UID_MAX" { print $2 }' /etc/login.defs 2>/dev/null)
((uid < ${sys_uid_max:-999} + 1)) || fail "$service_user is not a system user (uid $uid)"
[[ $home == "$data_dir" ]] || fail "$service_user's home is $home, not $data_dir"
[[ $shell == */nologin ]] || fail "$service_user has a login shell ($shell)"
echo "user $passwd_entry"

# Folders and files: owner, group and mode.
expect_stat() {
    local path=$1 wanted=$2 got
    [[ -e $path ]] || fail "$path is missing"
    got=$(stat -c '%U:%G %a' "$path")
    [[ $got == "$wanted" ]] || fail "$path is $got, not $wanted"
    echo "$path $got"
}
expect_stat "$data_dir" "$service_user:$service_user 750"
expect_stat "$conf_dir" "root:root 755"
expect_stat "$conf_file" "root:root 644"
expect_stat "$env_file" "root:$service_user 640"
[[ -L $wants_link ]] || fail "the unit is not enabled ($wants_link missing)"
# deb-systemd-helper may name the unit by /lib/systemd/system, the same folder on a merged /usr.
[[ $(readlink -f "$wants_link") == "$(readlink -f "$unit_file")" ]] ||
    fail "$wants_link points to $(readlink "$wants_link")"
echo "enabled: $wants_link"
[[ $(dpkg-query -W -f='${Conffiles}' switchboard-server) == *"$conf_file "* ]] ||
    fail "dpkg does not treat $conf_file as a conffile"
if dpkg -L switchboard-server | grep -q -x "$env_file"; then
    fail "$env_file belongs to the package (an upgrade could replace it)"
fi

secret=$(sed -n 's/^JWT_SECRET_KEY=//p' "$env_file")
[[ $secret =~ ^[0-9a-f]{64}$ ]] || fail "$env_file holds no generated JWT_SECRET_KEY (64 hex digits)"
[[ $(grep -c '^JWT_SECRET_KEY=' "$env_file") -eq 1 ]] || fail "$env_file sets JWT_SECRET_KEY more than once"

# The unit's own command line, run the way systemd runs it: as the service's user, in its
# working directory and umask, with only the environment the unit gives it (the variables of
# its EnvironmentFile and Environment= lines). Only the port changes, to a free one.
unit_setting() { sed -n "s/^$1=//p" "$unit_file"; }
exec_start=$(unit_setting ExecStart)
[[ $exec_start == "/usr/bin/switchboard-server --config $conf_file --data-dir $data_dir" ]] ||
    fail "unexpected ExecStart: $exec_start"
[[ $(unit_setting User) == "$service_user" ]] || fail "the unit does not run as $service_user"
[[ $(unit_setting EnvironmentFile) == "-$env_file" ]] || fail "the unit does not read $env_file"
read -r -a command <<<"$exec_start"
service_environment=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin HOME="$home"
    USER="$service_user" LOGNAME="$service_user" SHELL="$shell" STATE_DIRECTORY="$data_dir")
mapfile -t -O "${#service_environment[@]}" service_environment < <(unit_setting Environment)
mapfile -t -O "${#service_environment[@]}" service_environment < <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$env_file")
(
    cd "$(unit_setting WorkingDirectory)"
    umask "$(unit_setting UMask)"
    exec setpriv --reuid="$service_user" --regid="$service_user" --init-groups --no-new-privs \
        --inh-caps=-all --bounding-set=-all -- \
        env -i "${service_environment[@]}" "${command[@]}" --port 0
) 2>"$scratch/service-stderr" &
pids+=($!)
port=$(wait_listening "${pids[-1]}" "$scratch/service-stderr")
# The settings file was read: the hub's own default address is "any", the file's 127.0.0.1.
grep -q '^listening on http://127.0.0.1:' "$scratch/service-stderr" ||
    fail "the service did not take bind = 127.0.0.1 from $conf_file"
health=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/health") || fail "GET /health failed"
echo "GET /health: $health"
[[ $health == *'"status":"healthy"'* ]] || fail "GET /health did not say healthy"
# Authentication is required, with the generated secret.
status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/api/v1/ws/stats")
[[ $status == 401 ]] || fail "GET /api/v1/ws/stats without a token answered $status, not 401"
token=$(JWT_SECRET_KEY=$secret /usr/bin/switchboard-server token issue --sub install-test \
    --role admin --ttl 5m)
status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/ws/stats")
[[ $status == 200 ]] || fail "a token signed with $env_file's secret got $status, not 200"
echo "auth: 401 without a token, 200 with one signed by the generated secret"
[[ -f $data_dir/switchboard.db ]] || fail "the service wrote no database into $data_dir"
stop_gracefully "${pids[-1]}"
unset 'pids[-1]'
echo "the service's command line: started as $service_user, answered, exit 0 on SIGTERM"
not_owned=$(find "$data_dir" ! -user "$service_user" -print)
[[ -z $not_owned ]] || fail "files in $data_dir not owned by $service_user: $not_owned"
# Its log goes to the journal: a run without trouble says only where it listens.
if grep -q -i -E 'warn|error|fail|cannot|not set' "$scratch/service-stderr"; then
    cat "$scratch/service-stderr" >&2
    fail "the service logged a warning or an error"
fi

echo "== upgrade (reinstall): local settings and the secret are kept"
echo "; edited by install-test" | "${as_root[@]}" tee -a "$conf_file" >/dev/null
"${as_root[@]}" dpkg -i "$server_deb" </dev/null
grep -q '^; edited by install-test$' "$conf_file" || fail "reinstalling replaced the edited $conf_file"
[[ $(sed -n 's/^JWT_SECRET_KEY=//p' "$env_file") == "$secret" ]] || fail "reinstalling changed the secret"
[[ -f $data_dir/switchboard.db ]] || fail "reinstalling lost $data_dir/switchboard.db"
expect_stat "$env_file" "root:$service_user 640"
echo "kept: $conf_file (edited), $env_file, $data_dir"

echo "== a new secret: delete $env_file, dpkg-reconfigure"
"${as_root[@]}" rm "$env_file"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive dpkg-reconfigure switchboard-server </dev/null
new_secret=$(sed -n 's/^JWT_SECRET_KEY=//p' "$env_file")
[[ $new_secret =~ ^[0-9a-f]{64}$ ]] || fail "dpkg-reconfigure made no new JWT_SECRET_KEY"
[[ $new_secret != "$secret" ]] || fail "dpkg-reconfigure made the same secret again"
expect_stat "$env_file" "root:$service_user 640"

echo "== remove"
"${as_root[@]}" dpkg -r switchboard-server
[[ ! -e /usr/bin/switchboard-server ]] || fail "/usr/bin/switchboard-server left after removal"
[[ ! -e $unit_file ]] || fail "$unit_file left after removal"
for kept in "$conf_file" "$env_file" "$data_dir/switchboard.db"; do
    [[ -e $kept ]] || fail "removal (not purge) deleted $kept"
done
getent passwd "$service_user" >/dev/null || fail "removal (not purge) deleted the user"
[[ $(package_state switchboard-server) == *config-files* ]] || fail "not in state config-files after removal"
echo "kept until purge: $conf_file, $env_file, $data_dir, user $service_user"

echo "== purge"
"${as_root[@]}" dpkg --purge switchboard-server
installed=()
for gone in "$conf_dir" "$data_dir" "$unit_file" "$wants_link" /etc/systemd/system/$unit_name \
    /var/lib/systemd/deb-systemd-helper-enabled/$unit_name.dsh-also \
    /var/lib/systemd/deb-systemd-helper-masked/$unit_name; do
    [[ ! -e $gone && ! -L $gone ]] || fail "$gone left after purge"
done
if getent passwd "$service_user" >/dev/null; then fail "user $service_user left after purge"; fi
if getent group "$service_user" >/dev/null; then fail "group $service_user left after purge"; fi
[[ -z $(package_state switchboard-server) || $(package_state switchboard-server) == *not-installed* ]] ||
    fail "dpkg still knows switchboard-server after purge: $(package_state switchboard-server)"
leftovers=$(find /etc /var/lib /usr/lib/systemd /usr/bin -path /var/lib/dpkg -prune -o \
    -name '*switchboard*' -print 2>/dev/null)
[[ -z $leftovers ]] || fail "left after purge: $leftovers"
echo "purged: no user, group, settings, secret, data or unit left"

echo "== rpm"
server_rpm=$(package_file "switchboard-server-$version-*.rpm")
rpm -qip "$server_rpm"
[[ $(rpm -qp --qf '%{NAME} %{VERSION}' "$server_rpm") == "switchboard-server $version" ]] ||
    fail "$server_rpm: wrong name or version"
# The unit names /usr/bin and /etc: rpm --prefix must not be able to move the files.
[[ $(rpm -qp --qf '%{PREFIXES}' "$server_rpm") == "(none)" ]] || fail "$server_rpm is relocatable"
rpm_files=$(rpm -qlp "$server_rpm")
echo "$rpm_files"
for file in /usr/bin/switchboard-server "$unit_file" "$conf_file" "$conf_dir"; do
    grep -q -x "$file" <<<"$rpm_files" || fail "$server_rpm lacks $file"
done
for file in "$env_file" /usr/bin/switchboard /usr/lib/systemd /usr/lib/systemd/system /usr /etc; do
    if grep -q -x "$file" <<<"$rpm_files"; then fail "$server_rpm owns $file"; fi
done
# %config(noreplace): FILEFLAGS shows c (config) and n (noreplace).
flags=$(rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$server_rpm" | sed -n "s| $conf_file\$||p")
[[ $flags == *c* && $flags == *n* ]] || fail "$conf_file is not %config(noreplace) in $server_rpm (flags '$flags')"
# The same unit and settings as the .deb.
deb_tree=$scratch/deb
mkdir "$deb_tree"
dpkg-deb --extract "$server_deb" "$deb_tree"
for file in "$unit_file" "$conf_file"; do
    digest=$(rpm -qp --qf '[%{FILEDIGESTS} %{FILENAMES}\n]' "$server_rpm" | sed -n "s| $file\$||p")
    [[ $digest == $(sha256sum <"$deb_tree$file" | cut -d' ' -f1) ]] ||
        fail "$file differs between $server_rpm and $server_deb"
done
scripts=$(rpm -qp --scripts "$server_rpm")
for wanted in 'preinstall scriptlet' 'useradd --system' 'postinstall scriptlet' 'JWT_SECRET_KEY=' \
    'chmod 0640' 'preuninstall scriptlet' 'disable --now' 'postuninstall scriptlet' 'try-restart'; do
    grep -q -F -- "$wanted" <<<"$scripts" || fail "$server_rpm's scriptlets lack '$wanted'"
done
requires=$(rpm -qp --requires "$server_rpm")
echo "requires: $(tr '\n' ' ' <<<"$requires")"
for wanted in 'libQt6Core.so.6' 'libQt6Network.so.6' '/usr/sbin/useradd'; do
    grep -q -F "$wanted" <<<"$requires" || fail "$server_rpm does not require $wanted"
done
if grep -q -E 'libQt6(Gui|Widgets|Charts)' <<<"$requires"; then
    fail "the headless server's .rpm requires GUI libraries"
fi

if $with_console; then
    console_deb=$(package_file "switchboard_$version-*_*.deb")
    echo "== $console_deb"
    dpkg-deb --info "$console_deb"
    [[ $(field "$console_deb" Package) == switchboard ]] || fail "wrong console package name"
    listing=$(dpkg-deb --contents "$console_deb")
    for file in ./usr/bin/switchboard \
        ./usr/share/applications/io.switchboard.Switchboard.desktop \
        ./usr/share/icons/hicolor/scalable/apps/io.switchboard.Switchboard.svg \
        ./usr/share/metainfo/io.switchboard.Switchboard.metainfo.xml; do
        grep -q " $file\$" <<<"$listing" || fail "$console_deb lacks $file"
    done
    [[ $(field "$console_deb" Depends) == *libqt6widgets6* ]] || fail "console Depends lacks Qt Widgets"
    if grep -q ' ./usr/bin/switchboard-server$' <<<"$listing"; then
        fail "the console package also ships switchboard-server"
    fi
    # The service is the server package's alone.
    if grep -q -E ' \./(usr/lib/systemd|etc)/' <<<"$listing"; then
        fail "the console package ships a unit or files in /etc"
    fi
    for script in postinst prerm postrm conffiles; do
        if dpkg-deb --info "$console_deb" "$script" >/dev/null 2>&1; then
            fail "the console package has a $script"
        fi
    done

    "${as_root[@]}" dpkg -i "$console_deb" </dev/null
    installed+=(switchboard)
    printed=$(QT_QPA_PLATFORM=offscreen /usr/bin/switchboard --version)
    echo "$printed"
    [[ $printed == "switchboard $version" ]] || fail "switchboard --version printed '$printed'"
    if getent passwd "$service_user" >/dev/null; then fail "installing the console made a user"; fi
    "${as_root[@]}" dpkg -r switchboard
    installed=()

    console_rpm=$(package_file "switchboard-$version-*.rpm")
    rpm_files=$(rpm -qlp "$console_rpm")
    grep -q -x /usr/bin/switchboard <<<"$rpm_files" || fail "$console_rpm lacks /usr/bin/switchboard"
    if grep -q -E '^(/usr/lib/systemd|/etc)' <<<"$rpm_files"; then
        fail "$console_rpm ships a unit or files in /etc"
    fi
    [[ -z $(rpm -qp --scripts "$console_rpm") ]] || fail "$console_rpm has scriptlets"
    echo "== $console_rpm: $(wc -l <<<"$rpm_files") files, no service"
fi

echo "install-test: passed"
