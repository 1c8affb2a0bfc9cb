# %post of switchboard-server (RPM): the data folder and the token secret (made only when
# missing, never part of the package, so upgrades keep it), then the unit as %systemd_post
# does it: the distribution's preset decides whether it is enabled.
if [ ! -d /var/lib/switchboard ]; then
    install -d -m 0750 -o switchboard -g switchboard /var/lib/switchboard
fi
env_file=/etc/switchboard/switchboard.env
if [ ! -e "$env_file" ] && [ ! -L "$env_file" ]; then
    secret=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    if [ ${#secret} -ne 64 ]; then
        echo "switchboard-server: could not read 32 random bytes for JWT_SECRET_KEY" >&2
        exit 1
    fi
    tmp=$(mktemp /etc/switchboard/.switchboard.env.XXXXXX) || exit 1
    {
        echo "# Environment of the switchboard-server service (EnvironmentFile= of its systemd unit)."
        echo "# Made at installation; package upgrades never change it."
        echo "#"
        echo "# JWT_SECRET_KEY signs and verifies the hub's HS256 tokens. To rotate it, replace the"
        echo "# value, then systemctl restart switchboard-server: every token issued before is refused."
        echo "# Other settings may be given here too as environment variables (see --help)."
        echo "JWT_SECRET_KEY=$secret"
    } >"$tmp"
    chown root:switchboard "$tmp" && chmod 0640 "$tmp" && mv "$tmp" "$env_file" || exit 1
fi
if [ "$1" -eq 1 ] && [ -d /run/systemd/system ]; then
    systemctl --no-reload preset switchboard-server.service >/dev/null 2>&1 || :
fi
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
fi
exit 0
