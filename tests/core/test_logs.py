"""Commands a clerk runs print their answer, not the libraries' start-up chatter."""

from __future__ import annotations

import logging

from transparency.core.logs import CHATTY_LOGGERS


def test_chatty_libraries_log_only_warnings_once_the_app_exists(app):
    for name in CHATTY_LOGGERS:
        logger = logging.getLogger(name)
        assert not logger.isEnabledFor(logging.INFO) and logger.isEnabledFor(logging.WARNING)
