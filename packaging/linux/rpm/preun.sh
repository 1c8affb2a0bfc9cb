# %preun of switchboard-server (RPM): on erase (not on upgrade) stop and disable the service,
# as %systemd_preun does.
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
    systemctl --no-reload disable --now switchboard-server.service >/dev/null 2>&1 || :
fi
exit 0
