"""Test-wide settings: offline, headless, and a guard that fails any attempt to reach the network."""
import os, socket
import pytest

os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')
os.environ.setdefault('MPLBACKEND', 'Agg')

_LOCAL = ('127.', '::1', 'localhost', '0.0.0.0')

@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    "Fail loudly on a connection to anything but loopback (accelerate's gloo rendezvous stays allowed)."
    connect = socket.socket.connect
    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and not str(host).startswith(_LOCAL):
            raise RuntimeError(f"network access attempted: {address}")
        return connect(self, address)
    monkeypatch.setattr(socket.socket, 'connect', guarded)

@pytest.fixture(scope='session')
def browser():
    "One Chromium (Debian's, under Playwright) for every browser test: Playwright's sync API runs one event loop per thread."
    from browser.lab import launch, missing
    if missing(): pytest.skip(missing())
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
