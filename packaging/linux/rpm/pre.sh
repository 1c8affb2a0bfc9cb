# %pre of switchboard-server (RPM): the service's system user and group, before the files
# that name them are unpacked. The .deb's postinst does the same with adduser.
getent group switchboard >/dev/null || groupadd --system switchboard
getent passwd switchboard >/dev/null ||
    useradd --system --gid switchboard --home-dir /var/lib/switchboard --no-create-home \
        --shell /sbin/nologin --comment "Switchboard hub" switchboard
exit 0
