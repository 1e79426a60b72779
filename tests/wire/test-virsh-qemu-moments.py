#!/usr/bin/env python3
"""The real virsh drives a running QEMU domain's snapshots, checkpoints and
backups through virtmomentd: snapshot create/list/info/revert/delete, checkpoint
create/list/delete, a push backup seen by `virsh event --event job-completed` and
`domjobinfo --completed`, an incremental push, a pull backup read over NBD while
the guest writes, then `domjobabort`. The transcript (dates, durations and the
test's directory masked) is libvirtd 9.0's, recorded with this script's --record
against a libvirtd session daemon on the same domain; the backups' contents are
checked with qemu-img compare against a reference written alike. Skipped (77)
without virsh or QEMU.

usage: test-virsh-qemu-moments.py VIRTMOMENTD
       test-virsh-qemu-moments.py --record URI DIR   (prints the transcript)"""

import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemuwire  # noqa: E402
import wiretest  # noqa: E402

passed = failed = 0

PUSH = """<domainbackup mode='push'>
  <disks><disk name='vda' backup='yes' type='file'><driver type='qcow2'/><target file='{dir}/push.qcow2'/></disk></disks>
</domainbackup>
"""
PUSH_INC = """<domainbackup mode='push'>
  <incremental>c2</incremental>
  <disks><disk name='vda' backup='yes' type='file'><driver type='qcow2'/><target file='{dir}/inc.qcow2'/></disk></disks>
</domainbackup>
"""
CKPT = """<domaincheckpoint><name>c3</name><disks><disk name='vda'/></disks></domaincheckpoint>
"""
PULL = """<domainbackup mode='pull'>
  <server transport='unix' socket='{dir}/nbd.sock'/>
  <disks><disk name='vda' backup='yes' type='file'><scratch file='{dir}/scratch.qcow2'/></disk></disks>
</domainbackup>
"""

# One virsh process per line; '!' lines are the test's own actions.
SCRIPT = """
snapshot-create-as vm s1 --description 'first snapshot'
! write write -P 0x5a 0 1M
snapshot-create-as vm s2
snapshot-list vm
snapshot-list vm --tree
snapshot-info vm s2
snapshot-revert vm s1
domstate vm --reason
snapshot-current vm --name
snapshot-delete vm s2
snapshot-delete vm s1
snapshot-list vm --name
! reset-reference
checkpoint-create-as vm c1 --description 'first checkpoint'
! write write -P 0x21 2M 1M
checkpoint-create-as vm c2
checkpoint-list vm
checkpoint-list vm --tree
checkpoint-info vm c2
! listen
backup-begin vm {dir}/push.xml
! wait-listener
domjobinfo vm --completed
! keep full
! write write -P 0x31 8M 128k
backup-begin vm {dir}/push-inc.xml {dir}/ckpt.xml
! wait-job
domjobinfo vm --completed
! keep inc
checkpoint-list vm --name --topological
backup-begin vm {dir}/pull.xml
! keep pull
domjobinfo vm
backup-dumpxml vm
! write write -P 0x41 0 2M
! read-export
! listen
domjobabort vm
! wait-listener
domjobinfo vm
checkpoint-delete vm c1
checkpoint-list vm --name --topological
checkpoint-delete vm c2 --children
checkpoint-list vm --name
"""

# What libvirtd 9.0 printed (--record against `libvirtd` in session mode, QEMU 7.2).
EXPECTED = r"""
$ virsh snapshot-create-as vm s1 --description 'first snapshot'
Domain snapshot s1 created
$ virsh snapshot-create-as vm s2
Domain snapshot s2 created
$ virsh snapshot-list vm
 Name   Creation Time               State
---------------------------------------------
 s1     <date>   running
 s2     <date>   running

$ virsh snapshot-list vm --tree
s1
  |
  +- s2
    

$ virsh snapshot-info vm s2
Name:           s2
Domain:         vm
Current:        yes
State:          running
Location:       internal
Parent:         s1
Children:       0
Descendants:    0
Metadata:       yes

$ virsh snapshot-revert vm s1
Domain snapshot s1 reverted

$ virsh domstate vm --reason
running (from snapshot)

$ virsh snapshot-current vm --name
s1
$ virsh snapshot-delete vm s2
Domain snapshot s2 deleted

$ virsh snapshot-delete vm s1
Domain snapshot s1 deleted

$ virsh snapshot-list vm --name

$ virsh checkpoint-create-as vm c1 --description 'first checkpoint'
Domain checkpoint c1 created
$ virsh checkpoint-create-as vm c2
Domain checkpoint c2 created
$ virsh checkpoint-list vm
 Name   Creation Time
-----------------------------------
 c1     <date>
 c2     <date>

$ virsh checkpoint-list vm --tree
c1
  |
  +- c2
    

$ virsh checkpoint-info vm c2
Name:           c2
Domain:         vm
Parent:         c1
Children:       0
Descendants:    0

$ virsh backup-begin vm {dir}/push.xml
Backup started

$ virsh event vm --event job-completed
event 'job-completed' for domain 'vm':
	operation: 9
	time_elapsed: <n>
	disk_total: 67108864
	disk_processed: 67108864
	disk_remaining: 0
	success: 1
events received: 1

$ virsh domjobinfo vm --completed
Job type:         Completed   
Operation:        Backup      
Time elapsed:     <n> ms
File processed:   64.000 MiB
File remaining:   0.000 B
File total:       64.000 MiB

$ virsh backup-begin vm {dir}/push-inc.xml {dir}/ckpt.xml
Backup started

$ virsh domjobinfo vm --completed
Job type:         Completed   
Operation:        Backup      
Time elapsed:     <n> ms
File processed:   128.000 KiB
File remaining:   0.000 B
File total:       128.000 KiB

$ virsh checkpoint-list vm --name --topological
c1
c2
c3

$ virsh backup-begin vm {dir}/pull.xml
Backup started

$ virsh domjobinfo vm
Job type:         Unbounded   
Operation:        Backup      
Time elapsed:     <n> ms
Temporary disk space use: 0.000 B
Temporary disk space total: 64.000 MiB

$ virsh backup-dumpxml vm
<domainbackup mode='pull'>
  <server transport='unix' socket='DIR/nbd.sock'/>
  <disks>
    <disk name='vda' backup='yes' type='file' backupmode='full' exportname='vda' index='4'>
      <driver type='qcow2'/>
      <scratch file='DIR/scratch.qcow2'/>
    </disk>
  </disks>
</domainbackup>

$ virsh domjobabort vm

$ virsh event vm --event job-completed
event 'job-completed' for domain 'vm':
	operation: 9
	time_elapsed: <n>
	disk_temp_used: 2097152
	disk_temp_total: 67108864
	success: 1
	errmsg: Operation canceled
events received: 1

$ virsh domjobinfo vm
Job type:         None        

$ virsh checkpoint-delete vm c1
Domain checkpoint c1 deleted

$ virsh checkpoint-list vm --name --topological
c2
c3

$ virsh checkpoint-delete vm c2 --children
Domain checkpoint c2 deleted

$ virsh checkpoint-list vm --name

"""


def expected():
    return EXPECTED.lstrip('\n')


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f'FAIL {what}')
    return cond


def normalize(text, directory):
    text = text.replace(directory, 'DIR')
    text = re.sub(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}', '<date>', text)
    text = re.sub(r'(Time elapsed:\s+)\d+\s+ms', r'\1<n> ms', text)
    text = re.sub(r'(time_elapsed\w*: )\d+', r'\1<n>', text)
    return text


class Run:
    """The script against uri, files in directory, guest g (or None: no data checks)."""

    def __init__(self, uri, directory, g):
        self.uri, self.dir, self.g = uri, directory, g
        self.out = []
        self.listener = None
        for name, text in (('push.xml', PUSH), ('push-inc.xml', PUSH_INC), ('ckpt.xml', CKPT),
                           ('pull.xml', PULL)):
            with open(os.path.join(directory, name), 'w') as f:
                f.write(text.format(dir=directory))

    def virsh(self, line):
        argv = shlex.split(line.format(dir=self.dir))
        p = qemuwire.virsh(self.uri, *argv)
        self.out.append(f'$ virsh {line}\n{p.stdout}' + (f'[stderr] {p.stderr}' if p.stderr else '') +
                        (f'[rc {p.returncode}]\n' if p.returncode else ''))

    def action(self, words):
        what = words[0]
        if what == 'write' and self.g:
            err = self.g.write(' '.join(words[1:]))
            check(not err, err)
        elif what == 'write':
            p = qemuwire.virsh(self.uri, 'qemu-monitor-command', 'vm', '--hmp',
                               f'qemu-io -d {qemuwire.QEMU_IO_DEVICE} "{" ".join(words[1:])}"')
            check(p.returncode == 0, p.stderr)
        elif what == 'reset-reference' and self.g:
            # The revert to s1 took the disk back to before the first write.
            qemuwire.run(['qemu-img', 'create', '-q', '-f', 'raw', self.g.ref, qemuwire.DISK_SIZE])
        elif what == 'keep' and self.g:
            self.g.keep(words[1])
        elif what == 'listen':
            self.listener = subprocess.Popen(['virsh', '-c', self.uri, 'event', 'vm', '--event',
                                              'job-completed', '--timeout', '20'],
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                             stdin=subprocess.DEVNULL)
            qemuwire.wait_for(lambda: False, 1.0)     # let it register
        elif what == 'wait-listener':
            out, err = self.listener.communicate(timeout=60)
            self.out.append(f'$ virsh event vm --event job-completed\n{out}' +
                            (f'[stderr] {err}' if err else ''))
        elif what == 'wait-job':
            check(qemuwire.wait_for(lambda: 'Job type:         None' in
                                    qemuwire.virsh(self.uri, 'domjobinfo', 'vm').stdout),
                  'the push backup ended')
        elif what == 'read-export':
            self.read_export()

    def read_export(self):
        """The pull backup's export is the disk at backup-begin, whatever the guest
        wrote since."""
        url = f'nbd+unix:///vda?socket={self.dir}/nbd.sock'
        if self.g:
            ok, out = qemuwire.same_image(url, os.path.join(self.dir, 'vm.ref.pull.raw'), 'raw', 'raw')
            check(ok, f'pull export = the disk at backup-begin: {out}')
            ok, out = qemuwire.same_image(url, self.g.ref, 'raw', 'raw')
            check(not ok, 'the export lacks the write made after backup-begin')

    def run(self):
        for line in SCRIPT.strip().splitlines():
            if line.startswith('!'):
                self.action(line[1:].split())
            else:
                self.virsh(line)
        return normalize(''.join(self.out), self.dir)


def data_checks(d, g):
    ok, out = qemuwire.same_image(os.path.join(d.dir, 'push.qcow2'), os.path.join(d.dir, 'vm.ref.full.raw'),
                                  'qcow2', 'raw')
    check(ok, f'push backup = the disk at its start: {out}')
    # The incremental holds only what changed since c2: on top of the full, the disk at its start.
    inc = os.path.join(d.dir, 'inc.qcow2')
    p = qemuwire.run(['qemu-img', 'rebase', '-u', '-F', 'qcow2', '-b', os.path.join(d.dir, 'push.qcow2'), inc])
    check(p.returncode == 0, f'rebase: {p.stderr}')
    ok, out = qemuwire.same_image(inc, os.path.join(d.dir, 'vm.ref.inc.raw'), 'qcow2', 'raw')
    check(ok, f'incremental on top of the full = the disk at its start: {out}')
    p = qemuwire.run(['qemu-img', 'map', '--output=json', '-f', 'qcow2', inc])
    own = [e for e in re.findall(r'\{[^}]*\}', p.stdout) if '"depth": 0' in e and '"data": true' in e]
    check(len(own) == 1 and '"start": 8388608, "length": 131072' in own[0],
          f'the incremental holds exactly the 128 KiB written since c2: {own}')
    check(not os.path.exists(os.path.join(d.dir, 'nbd.sock')), 'the NBD socket is gone after domjobabort')


def record(uri, directory):
    os.chmod(directory, 0o777)
    print(Run(uri, directory, None).run(), end='')
    return 0


def main():
    if sys.argv[1] == '--record':
        return record(sys.argv[2], sys.argv[3])
    absent = qemuwire.missing()
    if absent:
        print(f'{absent} is not installed: skipped')
        return 77
    with wiretest.Daemon(sys.argv[1]) as d:
        uri = f'qemu:///session?socket={d.socket}'
        try:
            g = qemuwire.Guest(uri, d.dir)
            err = g.start()
            if check(not err, err):
                got = Run(uri, d.dir, g).run()
                check(got == expected(), f'transcript differs from libvirtd 9.0:\n{got}')
                data_checks(d, g)
            qemuwire.virsh(uri, 'destroy', 'vm')
        finally:
            qemuwire.kill_qemus(os.path.join(d.dir, 'qemu'))
        check(d.alive(), 'daemon alive')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
