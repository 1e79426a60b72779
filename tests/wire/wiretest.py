"""What the wire tests share: a virtmomentd on a private socket for the duration
of a test, and the clients' URIs for it."""

import os
import shutil
import socket
import subprocess
import tempfile
import time


class Daemon:
    """virtmomentd --socket DIR/sock, stopped (SIGTERM) at exit."""

    def __init__(self, binary, *extra):
        self.dir = tempfile.mkdtemp(prefix='vm-wire-')
        self.socket = os.path.join(self.dir, 'sock')
        self.log = os.path.join(self.dir, 'log')
        self.proc = subprocess.Popen([binary, '--socket', self.socket, '--log', self.log,
                                      '--root', os.path.join(self.dir, 'qemu'), *extra],
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.socket(socket.AF_UNIX) as s:
                    s.connect(self.socket)
                return
            except OSError:
                time.sleep(0.02)
        raise SystemExit('virtmomentd did not start')

    def uri(self, base='test:///default'):
        scheme, rest = base.split('://', 1)
        sep = '&' if '?' in rest else '?'
        return f'{scheme}+unix://{rest}{sep}socket={self.socket}'

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rc = self.proc.returncode
        shutil.rmtree(self.dir, ignore_errors=True)
        return rc

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        rc = self.stop()
        if rc != 0 and exc[0] is None:
            raise SystemExit(f'virtmomentd exited with {rc} (a sanitizer report is above)')
