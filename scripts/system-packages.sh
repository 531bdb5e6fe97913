#!/bin/sh
# Make sure Debian/Ubuntu packages are installed: install them when we are root (or have
# password-less sudo), otherwise say exactly what to run and fail.
set -eu
missing=""
for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "缺少系统软件包:$missing" >&2
    echo "这不是 Debian/Ubuntu 系统，请用本系统的包管理器安装对应的软件包。" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
else
    echo "缺少系统软件包:$missing" >&2
    echo "请先运行： sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "安装系统软件包:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
