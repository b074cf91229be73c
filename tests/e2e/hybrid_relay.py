#!/usr/bin/python3
"""A TCP relay standing in for a device's radio link in the hybrid e2e tests.

Usage: hybrid_relay.py TARGET_PORT  (prints the port it listens on)
SIGUSR1 cuts the link: open connections are closed and new ones are closed
at once; SIGUSR2 restores it. Loopback only, standard library only.
"""
import os
import selectors
import signal
import socket
import sys
import threading

target = int(sys.argv[1])
up = threading.Event()
up.set()
lock = threading.Lock()
open_sockets = set()


def cut(*_):
    up.clear()
    with lock:
        for s in list(open_sockets):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def restore(*_):
    up.set()


def pump(a, b):
    sel = selectors.DefaultSelector()
    sel.register(a, selectors.EVENT_READ, b)
    sel.register(b, selectors.EVENT_READ, a)
    try:
        while up.is_set():
            for key, _ in sel.select(timeout=0.2):
                data = key.fileobj.recv(65536)
                if not data:
                    return
                key.data.sendall(data)
    except OSError:
        pass
    finally:
        with lock:
            open_sockets.discard(a)
            open_sockets.discard(b)
        a.close()
        b.close()


signal.signal(signal.SIGUSR1, cut)
signal.signal(signal.SIGUSR2, restore)
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(64)
print(server.getsockname()[1], flush=True)
while True:
    try:
        client, _ = server.accept()
    except InterruptedError:
        continue
    if not up.is_set():
        client.close()
        continue
    try:
        upstream = socket.create_connection(("127.0.0.1", target))
    except OSError:
        client.close()
        continue
    with lock:
        open_sockets.update((client, upstream))
    threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
