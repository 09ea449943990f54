"""Prefect's console log handler (it sits on the root logger): how loud it is.

`minutes` mutes it (the progress bars and the summary say what matters). Prefect's API handler,
which feeds the UI's logs, is never touched.
"""

from __future__ import annotations

import logging

from prefect.logging.handlers import PrefectConsoleHandler


def console_handlers() -> list[logging.Handler]:
    return [handler for handler in logging.getLogger().handlers if isinstance(handler, PrefectConsoleHandler)]


def set_console_level(level: int) -> None:
    for handler in console_handlers():
        handler.setLevel(level)
