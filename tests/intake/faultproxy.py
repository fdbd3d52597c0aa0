"""A TCP proxy the tests can cut and restore, to fail the broker or the database
for our clients without touching the machine's shared services.

``FaultProxy(port).start()`` listens on 127.0.0.1 (a free port, ``.port``) and
forwards each connection to ``127.0.0.1:<port>``.  ``cut()`` resets every open
connection and resets new ones at once (the client sees the server vanish, as
when a broker restarts or a network link fails); ``restore()`` forwards again.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Iterable


def _break(socks: Iterable[socket.socket]) -> None:
    """Break connections now.  Every socket is shut down before any is closed: a
    shutdown wakes the pump thread blocked in recv on it, whereas closing a socket
    another thread is reading leaves the kernel connection up, orphaned.  Linger
    0 makes the final close a reset."""
    socks = list(socks)
    for sock in socks:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    for sock in socks:
        with contextlib.suppress(OSError):
            sock.close()


class FaultProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = False
        self._closed = False
        self.accepted = 0  # connections forwarded, for the tests' own checks

    def start(self) -> FaultProxy:
        threading.Thread(target=self._accept, name="faultproxy", daemon=True).start()
        return self

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return  # listener closed
            with self._lock:
                refused = self._cut
            if refused:
                _break([client])
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _break([client])
                continue
            with self._lock:
                if self._cut:  # cut while we were connecting
                    _break([client, upstream])
                    continue
                self._open.update((client, upstream))
                self.accepted += 1
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            # One side ended: end both (AMQP and PostgreSQL never half-close).
            with self._lock:
                self._open.discard(src)
                self._open.discard(dst)
            _break([src, dst])

    def cut(self) -> None:
        """Break every connection now and refuse new ones until restore()."""
        with self._lock:
            self._cut = True
            doomed, self._open = self._open, set()
        _break(doomed)

    def restore(self) -> None:
        with self._lock:
            self._cut = False

    def close(self) -> None:
        self._closed = True
        self.cut()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        with contextlib.suppress(OSError):
            self._listener.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.close()
