#!/bin/sh
# WeasyPrint prints Chinese only with a CJK font that fontconfig can see. A stale or empty
# fontconfig cache hides installed fonts (seen on these machines): rebuild it once, then insist.
set -eu
command -v fc-list >/dev/null 2>&1 || exit 0
if ! fc-list :lang=zh family | grep -q .; then
    echo "fontconfig 看不到中文字体，正在重建字体缓存 (fc-cache -f)…"
    fc-cache -f >/dev/null 2>&1 || true
fi
if ! fc-list :lang=zh family | grep -q .; then
    echo "没有找到中文字体：请安装 fonts-noto-cjk（或 fonts-wqy-microhei）后运行 fc-cache -f。" >&2
    exit 1
fi
