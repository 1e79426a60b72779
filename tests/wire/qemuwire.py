"""What the wire tests with real QEMU share: a running TCG domain (no OS, one
qcow2 disk vda) served by a virtmomentd, guest writes through the real virsh
(`qemu-monitor-command --hmp 'qemu-io ...'`) mirrored on a raw reference image,
copies of the reference at backup instants, and QEMU processes never left behind."""

import glob
import os
import re
import shutil
import signal
import subprocess
import time

DISK_SIZE = '64M'
QEMU_IO_DEVICE = '/machine/peripheral/virtio-disk0/virtio-backend'
DOMAIN = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{disk}'/>
      <target dev='vda' bus='virtio'/>
    </disk>
  </devices>
</domain>
"""


def missing(*programs):
    """The first of programs not on PATH, or None."""
    for p in ('virsh', 'qemu-system-x86_64', 'qemu-img', 'qemu-io', *programs):
        if not shutil.which(p):
            return p
    return None


def run(argv, timeout=120, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, **kw)


def virsh(uri, *cmd, timeout=120):
    return run(['virsh', '-c', uri, *cmd], timeout=timeout)


def same_image(a, b, fmt_a=None, fmt_b=None):
    """qemu-img compare (contents, not formats): (identical, its output)."""
    argv = ['qemu-img', 'compare', '-U']
    if fmt_a:
        argv += ['-f', fmt_a]
    if fmt_b:
        argv += ['-F', fmt_b]
    p = run(argv + [a, b])
    return p.returncode == 0, (p.stdout + p.stderr).strip()


class Guest:
    """Domain `name` with disk DIR/name.qcow2, defined and started through uri, and
    its reference DIR/name.ref.raw holding what the disk must contain."""

    def __init__(self, uri, directory, name='vm'):
        self.uri, self.dir, self.name = uri, directory, name
        self.disk = os.path.join(directory, f'{name}.qcow2')
        self.ref = os.path.join(directory, f'{name}.ref.raw')
        self.xml = os.path.join(directory, f'{name}.xml')
        run(['qemu-img', 'create', '-q', '-f', 'qcow2', self.disk, DISK_SIZE]).check_returncode()
        run(['qemu-img', 'create', '-q', '-f', 'raw', self.ref, DISK_SIZE]).check_returncode()
        with open(self.xml, 'w') as f:
            f.write(DOMAIN.format(name=name, disk=self.disk))

    def start(self):
        """define + start; '' or what failed."""
        for cmd in (['define', self.xml], ['start', self.name]):
            p = virsh(self.uri, *cmd)
            if p.returncode != 0:
                return f'virsh {" ".join(cmd)}: {p.stderr.strip()}'
        return ''

    def write(self, io_command):
        """A guest write (qemu-io syntax) through virsh, and the same on the
        reference; '' or what failed. HMP qemu-io prints nothing on success."""
        hmp = f'qemu-io -d {QEMU_IO_DEVICE} "{io_command}"'
        p = virsh(self.uri, 'qemu-monitor-command', self.name, '--hmp', hmp)
        if p.returncode != 0 or p.stdout.strip():
            return f'qemu-monitor-command {hmp!r}: rc {p.returncode} {p.stdout.strip()!r} {p.stderr.strip()!r}'
        p = run(['qemu-io', '-f', 'raw', '-c', io_command, self.ref])
        if p.returncode != 0 or 'error' in p.stdout.lower():
            return f'qemu-io on the reference: {p.stdout} {p.stderr}'
        return ''

    def keep(self, tag):
        """The reference as it is now, as DIR/name.ref.TAG.raw."""
        path = os.path.join(self.dir, f'{self.name}.ref.{tag}.raw')
        shutil.copyfile(self.ref, path)
        return path


def qemu_pids(root):
    """The QEMU processes of the domains under a virtmomentd's --root (status files)."""
    pids = []
    for status in glob.glob(os.path.join(root, 'run', 'qemu', '*.xml')):
        try:
            with open(status) as f:
                m = re.search(r"<domstatus [^>]*pid='(\d+)'", f.read())
        except OSError:
            continue
        if m:
            pids.append(int(m.group(1)))
    return pids


def kill_qemus(root):
    """SIGKILL what is left of the domains of root (a test that failed half-way)."""
    for pid in qemu_pids(root):
        try:
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                if b'qemu-system' not in f.read():
                    continue
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def wait_for(pred, seconds=30, step=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()
