"""robots.txt for the history walk, read with the standard library's parser (RFC 9309 rules)."""

from __future__ import annotations

import urllib.robotparser
from dataclasses import dataclass

from ..net.client import USER_AGENT

AGENT = USER_AGENT.split("/", 1)[0]  # "feedbook": the product token robots.txt groups name
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least 500 KiB, and may stop there


@dataclass
class Robots:
    parser: urllib.robotparser.RobotFileParser | None
    delay: float = 0.0
    allow_all: bool = False

    @classmethod
    def parse(cls, data: bytes) -> Robots:
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(data[:MAX_ROBOTS_BYTES].decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(AGENT)
        rate = parser.request_rate(AGENT)
        seconds = float(delay) if delay else 0.0
        if rate and rate.requests:
            seconds = max(seconds, rate.seconds / rate.requests)
        return cls(parser, seconds)

    @classmethod
    def unavailable(cls, status: int | None) -> Robots:
        """No robots.txt: a 4xx answer means no rules (RFC 9309 §2.3.1.3); a 5xx or no answer
        means the site cannot say, so nothing is fetched from it (§2.3.1.4)."""
        return cls(None, allow_all=status is not None and 400 <= status < 500)

    def allows(self, url: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(AGENT, url)
