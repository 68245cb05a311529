"""A cache of query answers, so that a request sent again is answered without evaluation.

An answer depends only on the request (query text, format, dataset, base IRI, row cap) and on
the store, which a build or an update replaces as a whole under a new name: the key holds the
store's name, so a rebuilt graph is never answered from the old one. Queries that call
NOW(), RAND(), UUID(), STRUUID() or BNODE() are not cached. Least recently used answers go
first once the cache holds more than its size in bytes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from .sparql_lexer import scan
from .sparql_worker import Answer

VOLATILE = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})


class ResultCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[Hashable, Answer] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def cacheable(text: str) -> bool:
        return not (scan(text).keywords & VOLATILE)

    def get(self, key: Hashable) -> Answer | None:
        with self.lock:
            answer = self.entries.get(key)
            if answer is not None:
                self.entries.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: Answer) -> None:
        cost = len(answer.body) + 512
        if cost > self.max_bytes // 8:  # one answer may take at most an eighth of it
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = answer
            self.size += cost
            while self.size > self.max_bytes:
                _, old = self.entries.popitem(last=False)
                self.size -= len(old.body) + 512
