# %postun of switchboard-server (RPM): after an upgrade restart a running service with the new
# binary, as %systemd_postun_with_restart does. RPM has no purge: an erase leaves
# /etc/switchboard/switchboard.env, /var/lib/switchboard and the switchboard user in place
# (remove them by hand), as Fedora's packaging guidelines ask for users and data.
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
    if [ "$1" -ge 1 ]; then
        systemctl try-restart switchboard-server.service >/dev/null 2>&1 || :
    fi
fi
exit 0
