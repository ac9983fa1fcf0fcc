"""A small progress bar on stderr, so the seeder needs no extra dependency (tqdm).

On a terminal it redraws one line; in a log (not a TTY) it writes a line at every
10% so CI output stays short.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, total: int, *, stream=None, width: int = 30):
        self.label, self.total, self.width = label, max(int(total), 0), width
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_draw = 0.0
        self._last_tenth = 0
        self._drawn_done = -1
        self._closed = False
        if self._tty:
            self._draw()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self._tty:
            if now - self._last_draw >= 0.2:
                self._draw()
        else:
            tenth = int(10 * self.done / self.total) if self.total else 10
            if self._last_tenth < tenth < 10:
                self._draw()

    def _line(self) -> str:
        elapsed = time.monotonic() - self.started
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = int(self.width * share)
            bar = "#" * filled + "-" * (self.width - filled)
            return (
                f"{self.label:<22} [{bar}] {self.done:>9,}/{self.total:,} "
                f"{share:>4.0%} {elapsed:6.1f}s"
            )
        return f"{self.label:<22} {self.done:>9,} {elapsed:6.1f}s"

    def _draw(self) -> None:
        self._last_draw = time.monotonic()
        self._drawn_done = self.done
        if self._tty:
            self.stream.write("\r" + self._line())
        else:
            self._last_tenth = int(10 * self.done / self.total) if self.total else 10
            self.stream.write(self._line() + "\n")
        self.stream.flush()

    def close(self) -> float:
        """Draws the final state (once) and returns the seconds it took."""
        elapsed = time.monotonic() - self.started
        if self._closed:
            return elapsed
        self._closed = True
        if not self._tty and self._drawn_done == self.done:
            return elapsed  # the last line written already says it
        line = self._line()
        self.stream.write(("\r" + line if self._tty else line) + "\n")
        self.stream.flush()
        return elapsed
