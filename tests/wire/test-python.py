#!/usr/bin/python3
"""python3-libvirt (Debian's, run by /usr/bin/python3) against virtmomentd on the
test driver: open, lookups, snapshot create/list/parent/delete, checkpoint create
and lookup (error 103 when missing), a push backup with its JOB_COMPLETED event,
a pull backup aborted, job statistics. Skipped (77) without python3-libvirt.

usage: test-python.py VIRTMOMENTD"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wiretest  # noqa: E402

try:
    import libvirt
except ImportError:
    print('python3-libvirt is not installed: skipped')
    sys.exit(77)

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL {what}')


def error_code(fn):
    try:
        fn()
    except libvirt.libvirtError as e:
        return e.get_error_code()
    return None


def wait_for(pred, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not pred():
        time.sleep(0.05)
    return pred()


def snapshots(conn, dom):
    check(dom.snapshotNum() == 0, 'no snapshot at first')
    s1 = dom.snapshotCreateXML('<domainsnapshot><name>s1</name></domainsnapshot>')
    dom.snapshotCreateXML('<domainsnapshot><name>s2</name><description>two</description></domainsnapshot>')
    names = [s.getName() for s in dom.listAllSnapshots()]
    check(sorted(names) == ['s1', 's2'], f'listAllSnapshots {names}')
    s2 = dom.snapshotLookupByName('s2')
    check(s2.getParent().getName() == 's1', 'parent of s2')
    check(error_code(s1.getParent) == libvirt.VIR_ERR_NO_DOMAIN_SNAPSHOT, 'root has no parent: 72')
    check('<description>two</description>' in s2.getXMLDesc(), 'snapshot XML')
    check(s2.isCurrent() == 1 and dom.hasCurrentSnapshot() == 1, 'current snapshot')
    check(dom.snapshotListNames() == ['s1', 's2'] or sorted(dom.snapshotListNames()) == ['s1', 's2'],
          'snapshotListNames')
    check(s1.numChildren() == 1 and [c.getName() for c in s1.listAllChildren()] == ['s2'], 'children')
    s1.delete(libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN)
    check(dom.snapshotNum() == 0, 'deleted with children')
    check(error_code(lambda: dom.snapshotLookupByName('s1')) == libvirt.VIR_ERR_NO_DOMAIN_SNAPSHOT,
          'missing snapshot: 72')


def backups(conn, dom):
    events = []

    def on_job_completed(c, d, params, opaque):
        events.append((d.name(), params))

    cb = conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_JOB_COMPLETED,
                                     on_job_completed, None)
    cp = dom.checkpointCreateXML('<domaincheckpoint><name>c1</name></domaincheckpoint>')
    check(cp.getName() == 'c1', 'checkpoint created')
    check('size=' in dom.checkpointLookupByName('c1').getXMLDesc(libvirt.VIR_DOMAIN_CHECKPOINT_XML_SIZE),
          'checkpoint XML with sizes')
    check(error_code(lambda: dom.checkpointLookupByName('nope')) == libvirt.VIR_ERR_NO_DOMAIN_CHECKPOINT,
          'missing checkpoint: 103')
    check([c.getName() for c in dom.listAllCheckpoints()] == ['c1'], 'listAllCheckpoints')
    dom.backupBegin('<domainbackup/>', None)
    check(wait_for(lambda: events), 'JOB_COMPLETED event of the push backup')
    if events:
        name, params = events[0]
        check(name == 'test' and params.get('operation') == libvirt.VIR_DOMAIN_JOB_OPERATION_BACKUP,
              f'event params {params}')
        check(params.get('success') in (1, True), 'backup succeeded')
    stats = dom.jobStats(libvirt.VIR_DOMAIN_JOB_STATS_COMPLETED)
    check(stats.get('type') == libvirt.VIR_DOMAIN_JOB_COMPLETED, f'completed stats {stats}')
    # A pull backup with a new checkpoint, then abort.
    dom.backupBegin("<domainbackup mode='pull'><server transport='unix' socket='/tmp/vm-wire-nbd'/>"
                    "</domainbackup>",
                    '<domaincheckpoint><name>c2</name></domaincheckpoint>')
    check(dom.jobInfo()[0] == libvirt.VIR_DOMAIN_JOB_UNBOUNDED, 'pull job runs')
    check("mode='pull'" in dom.backupGetXMLDesc(), 'backup XML')
    dom.abortJob()
    check(wait_for(lambda: len(events) >= 2), 'JOB_COMPLETED event of the aborted pull backup')
    check(dom.checkpointLookupByName('c2').getParent().getName() == 'c1', 'c2 after c1')
    conn.domainEventDeregisterAny(cb)


def main():
    binary = sys.argv[1]
    libvirt.virEventRegisterDefaultImpl()
    running = True

    def loop():
        while running:
            libvirt.virEventRunDefaultImpl()

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    with wiretest.Daemon(binary) as d:
        conn = libvirt.open(d.uri())
        check(conn.getType() == 'TEST', 'connection type')
        check(conn.getLibVersion() >= 7006000, 'library version')
        dom = conn.lookupByName('test')
        check(dom.UUIDString() == '6695eb01-f6a4-8304-79aa-97f2502e193f', 'lookup by name')
        check(conn.lookupByUUIDString(dom.UUIDString()).name() == 'test', 'lookup by UUID')
        check(conn.lookupByID(dom.ID()).name() == 'test', 'lookup by id')
        check(error_code(lambda: conn.lookupByName('nope')) == libvirt.VIR_ERR_NO_DOMAIN, 'no domain: 42')
        check(dom.isActive() == 1 and dom.info()[0] == libvirt.VIR_DOMAIN_RUNNING, 'running')
        check([x.name() for x in conn.listAllDomains()] == ['test'], 'listAllDomains')
        snapshots(conn, dom)
        backups(conn, dom)
        conn.close()
        check(d.alive(), 'daemon alive')
    running = False
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
