#!/usr/bin/python3
"""python3-libvirt (Debian's, /usr/bin/python3) with a real QEMU domain through
virtmomentd: a checkpoint, guest writes (libvirt_qemu's monitor command), an
incremental pull backup with a new checkpoint, its export read with python3-nbd
(exactly the dirty clusters, the data as at backupBegin while the guest writes),
job statistics, abortJob with its JOB_COMPLETED event, the export gone, the
checkpoint chain. Skipped (77) without python3-libvirt, python3-nbd or QEMU.

usage: test-python-qemu.py VIRTMOMENTD"""

import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemuwire  # noqa: E402
import wiretest  # noqa: E402

try:
    import libvirt
    import libvirt_qemu
    import nbd
except ImportError as e:
    print(f'{e.name} is not installed: skipped')
    sys.exit(77)

passed = failed = 0
MiB = 1 << 20
KiB = 1 << 10


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL {what}')
    return cond


def error_code(fn):
    try:
        fn()
    except libvirt.libvirtError as e:
        return e.get_error_code()
    return None


class Writer:
    """Guest writes through the monitor (HMP qemu-io), mirrored on a raw reference."""

    def __init__(self, dom, ref):
        self.dom, self.ref = dom, ref

    def __call__(self, io_command):
        out = libvirt_qemu.qemuMonitorCommand(
            self.dom, f'qemu-io -d {qemuwire.QEMU_IO_DEVICE} "{io_command}"',
            libvirt_qemu.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP)
        check(out.strip() == '', f'qemu-io {io_command!r}: {out!r}')
        p = qemuwire.run(['qemu-io', '-f', 'raw', '-c', io_command, self.ref])
        check(p.returncode == 0, f'reference write: {p.stderr}')


def read_ref(path, off, length):
    with open(path, 'rb') as f:
        f.seek(off)
        return f.read(length)


def dirty_extents(h, size):
    """The export's dirty clusters (qemu:dirty-bitmap:backup-vda), merged."""
    found = []
    reached = [0]

    def cb(context, offset, entries, err):
        if context != 'qemu:dirty-bitmap:backup-vda':
            return 0
        pos = offset
        for i in range(0, len(entries), 2):
            length, flags = entries[i], entries[i + 1]
            if flags & 1 and found and sum(found[-1]) == pos:
                found[-1] = (found[-1][0], found[-1][1] + length)
            elif flags & 1:
                found.append((pos, length))
            pos += length
        reached[0] = pos
        return 0

    off = 0
    while off < size:
        h.block_status(min(size - off, 32 * MiB), off, cb)
        if reached[0] <= off:
            raise RuntimeError(f'block_status made no progress at {off}')
        off = reached[0]
    return found


def pull_backup(conn, dom, d, write, pull_ref):
    sock = os.path.join(d.dir, 'nbd.sock')
    xml = (f"<domainbackup mode='pull'><incremental>c1</incremental>"
           f"<server transport='unix' socket='{sock}'/>"
           f"<disks><disk name='vda' backup='yes' type='file'>"
           f"<scratch file='{d.dir}/scratch.qcow2'/></disk></disks></domainbackup>")
    dom.backupBegin(xml, "<domaincheckpoint><name>c2</name></domaincheckpoint>")
    stats = dom.jobStats()
    check(stats.get('type') == libvirt.VIR_DOMAIN_JOB_UNBOUNDED and
          stats.get('operation') == libvirt.VIR_DOMAIN_JOB_OPERATION_BACKUP, f'jobStats while pulling: {stats}')
    bxml = dom.backupGetXMLDesc()
    check("mode='pull'" in bxml and '<incremental>c1</incremental>' in bxml and f"socket='{sock}'" in bxml,
          f'backupGetXMLDesc: {bxml}')
    info = dom.blockJobInfo('vda')
    check(info.get('type') == libvirt.VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP and info.get('end') == 64 * MiB,
          f'blockJobInfo: the backup block job ({info})')
    check(error_code(lambda: dom.backupBegin(xml, None)) == libvirt.VIR_ERR_OPERATION_INVALID,
          'a second backup is refused while one runs')

    h = nbd.NBD()
    h.add_meta_context('qemu:dirty-bitmap:backup-vda')
    h.set_export_name('vda')
    h.connect_uri(f'nbd+unix:///vda?socket={sock}')
    size = h.get_size()
    check(size == 64 * MiB, f'export size {size}')
    check(h.can_meta_context('qemu:dirty-bitmap:backup-vda'), 'the dirty bitmap is exported')
    extents = dirty_extents(h, size)
    check(extents == [(4 * MiB, 1 * MiB), (16 * MiB, 64 * KiB)],
          f'dirty extents: exactly what was written since c1 ({extents})')
    write('write -P 0x33 4M 64k')       # after backupBegin: not in the export
    for off, length in extents:
        check(h.pread(length, off) == read_ref(pull_ref, off, length), f'export data at {off}')
    same = all(h.pread(8 * MiB, off) == read_ref(pull_ref, off, 8 * MiB) for off in range(0, size, 8 * MiB))
    check(same, 'the whole export = the disk at backupBegin')
    h.shutdown()

    events = []
    done = threading.Event()

    def on_job(conn_, dom_, params, opaque):
        events.append((dom_.name(), params))
        done.set()

    cb = conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, on_job, None)
    dom.abortJob()
    check(done.wait(30), 'JOB_COMPLETED after abortJob')
    conn.domainEventDeregisterAny(cb)
    if events:
        name, params = events[0]
        check(name == 'vm' and params.get('operation') == libvirt.VIR_DOMAIN_JOB_OPERATION_BACKUP and
              params.get('success') == 1 and params.get('disk_temp_total') == 64 * MiB,
              f'JOB_COMPLETED: {events}')
    check(dom.jobStats().get('type') == libvirt.VIR_DOMAIN_JOB_NONE, 'no job after abortJob')
    check(dom.blockJobInfo('vda') == {}, 'no block job after abortJob')
    done_stats = dom.jobStats(libvirt.VIR_DOMAIN_JOB_STATS_COMPLETED)
    check(done_stats.get('type') == libvirt.VIR_DOMAIN_JOB_COMPLETED and
          done_stats.get('operation') == libvirt.VIR_DOMAIN_JOB_OPERATION_BACKUP,
          f'completed job statistics: {done_stats}')
    check(error_code(dom.abortJob) == libvirt.VIR_ERR_OPERATION_INVALID, 'abortJob with no job: error 55')
    check(not os.path.exists(sock), 'the NBD socket is gone')


def scenario(d):
    conn = libvirt.open(f'qemu:///session?socket={d.socket}')
    g = qemuwire.Guest(conn.getURI(), d.dir)
    dom = conn.defineXML(open(g.xml).read())
    dom.create()
    check(dom.isActive() == 1, 'running')
    write = Writer(dom, g.ref)
    write('write -P 0x11 0 2M')
    c1 = dom.checkpointCreateXML('<domaincheckpoint><name>c1</name></domaincheckpoint>')
    check(c1.getName() == 'c1' and [c.getName() for c in dom.listAllCheckpoints()] == ['c1'], 'checkpoint c1')
    cxml = c1.getXMLDesc()
    check("<disk name='vda' checkpoint='bitmap' bitmap='c1'/>" in cxml, f'checkpoint XML: {cxml}')
    check(error_code(lambda: dom.checkpointLookupByName('nope')) == libvirt.VIR_ERR_NO_DOMAIN_CHECKPOINT,
          'a missing checkpoint: error 103')
    write('write -P 0x22 4M 1M')
    write('write -P 0x23 16M 64k')
    pull_ref = g.keep('pull')
    try:
        pull_backup(conn, dom, d, write, pull_ref)
    finally:
        if dom.jobStats().get('type') != libvirt.VIR_DOMAIN_JOB_NONE:
            dom.abortJob()
    names = [c.getName() for c in dom.listAllCheckpoints(libvirt.VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL)]
    check(names == ['c1', 'c2'], f'checkpoints {names}')
    check(dom.checkpointLookupByName('c2').getParent().getName() == 'c1', 'c2 follows c1')
    dom.destroy()
    ok, out = qemuwire.same_image(g.disk, g.ref, 'qcow2', 'raw')
    check(ok, f'the disk = its reference: {out}')
    conn.close()


def main():
    absent = qemuwire.missing()
    if absent:
        print(f'{absent} is not installed: skipped')
        return 77
    libvirt.registerErrorHandler(lambda *a: None, None)
    libvirt.virEventRegisterDefaultImpl()
    threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)],
                     daemon=True).start()
    with wiretest.Daemon(sys.argv[1]) as d:
        try:
            scenario(d)
        finally:
            qemuwire.kill_qemus(os.path.join(d.dir, 'qemu'))
        check(d.alive(), 'daemon alive')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
