"""One JSON object per log line, for a log collector (production's default format)."""

import json
import logging
from datetime import UTC, datetime

from .log_filters import redact

# LogRecord's own attributes: anything else on a record came through ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Plain values given with ``extra=`` (a status code, a job's name); objects such as the
        # request are left out: their text would carry a path and its status token.
        entry.update(
            (key, redact(value))
            for key, value in vars(record).items()
            if key not in _STANDARD and isinstance(value, str | int | float | bool)
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
