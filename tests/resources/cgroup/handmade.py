#!/usr/bin/env python3
# Writes the hand-made fixture trees of this folder (v1-systemd, v2-*) from the layouts and file formats
# named in README.md. Run from anywhere: python3 tests/resources/cgroup/handmade.py
import os, textwrap
B=os.path.dirname(os.path.abspath(__file__))
def w(case, path, text):
    p=os.path.join(B, case, path.lstrip('/'))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p,'w').write(text)

def common(case, pid, comm, start, cgroup, netdev, boot):
    w(case, '/proc/stat', 'cpu  2255 34 2290 22625563 6290 127 456 0 0 0\ncpu0 1132 34 1441 11311771 4525 0 331 0 0 0\ncpu1 1123 0 849 11313792 1765 127 125 0 0 0\nintr 114930548 113199788 3 0 5 263 0 4\nctxt 1990473\nbtime 1062191376\nprocesses 2915\nprocs_running 1\nprocs_blocked 0\n')
    w(case, '/proc/meminfo', 'MemTotal:        8061440 kB\nMemFree:         5244096 kB\nMemAvailable:    6912768 kB\nBuffers:          110592 kB\n')
    w(case, '/proc/sys/kernel/random/boot_id', boot+'\n')
    w(case, '/sys/devices/system/cpu/online', '0-3\n')
    w(case, f'/proc/{pid}/cgroup', cgroup)
    w(case, f'/proc/{pid}/stat', f'{pid} ({comm}) S 1 {pid} {pid} 0 -1 4194560 1049 90 0 0 3 3 0 0 20 0 1 0 {start} 2322432 332 18446744073709551615 4198400 5785993 140728314541072 0 0 0 0 4 0 1 0 0 17 1 0 0 0 0 0 6141704 6178576 18120704 140728314543985 140728314543996 140728314543996 140728314544105 0\n')
    if netdev is not None:
        w(case, f'/proc/{pid}/net/dev', netdev)

NETDEV='''Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    1200      12    0    0    0     0          0         0     1200      12    0    0    0     0       0          0
  eth0:12884901888 9000000    0    0    0     0          0         0  3221225472 2100000    0    0    0     0       0          0
  eth1:     500       5    0    0    0     0          0         0      700       7    0    0    0     0       0          0
'''

V1STAT='''cache {cache}
rss 2097152
rss_huge 0
shmem 0
mapped_file 1048576
dirty 0
writeback 0
swap 0
pgpgin 12000
pgpgout 9000
pgfault 30000
pgmajfault 10
inactive_anon 0
active_anon 2097152
inactive_file {inactive}
active_file 1048576
unevictable 0
hierarchical_memory_limit {limit}
hierarchical_memsw_limit {limit}
total_cache {cache}
total_rss 2097152
total_rss_huge 0
total_shmem 0
total_mapped_file 1048576
total_dirty 0
total_writeback 0
total_swap 0
total_pgpgin 12000
total_pgpgout 9000
total_pgfault 30000
total_pgmajfault 10
total_inactive_anon 0
total_active_anon 2097152
total_inactive_file {inactive}
total_active_file 1048576
total_unevictable 0
'''

V2STAT='''anon 4194304
file 12582912
kernel 884736
kernel_stack 49152
pagetables 110592
sec_pagetables 0
percpu 1440
sock 0
vmalloc 8192
shmem 0
zswap 0
zswapped 0
file_mapped 2097152
file_dirty 0
file_writeback 0
swapcached 0
anon_thp 0
file_thp 0
shmem_thp 0
inactive_anon 4096000
active_anon 98304
inactive_file {inactive}
active_file 4194304
unevictable 0
slab_reclaimable 364544
slab_unreclaimable 331776
slab 696320
workingset_refault_anon 0
workingset_refault_file 0
pgfault 30000
pgmajfault 10
'''

def cpustat(usage):
    return f'usage_usec {usage}\nuser_usec {usage*2//3}\nsystem_usec {usage - usage*2//3}\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n'

ID1='3f4e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f'
ID2='a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90'
BOOT='6e1f0a3c-9b2d-4c5e-8f7a-1b2c3d4e5f60'

# ---- v1-systemd: hybrid systemd host (Debian 10 / Ubuntu 20.04), docker native.cgroupdriver=systemd, cpu,cpuacct co-mounted
case='v1-systemd'
w(case,'/proc/self/mountinfo','''25 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
26 25 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
30 26 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
32 30 0:28 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
33 30 0:29 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpuset
34 30 0:30 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,net_cls,net_prio
35 30 0:31 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpu,cpuacct
36 30 0:32 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,memory
37 30 0:33 / /sys/fs/cgroup/blkio rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,blkio
38 30 0:34 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,pids
39 30 0:35 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:19 - cgroup cgroup rw,devices
40 30 0:36 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:20 - cgroup cgroup rw,freezer
''')
def v1cg(id):
    s=f'/system.slice/docker-{id}.scope'
    return f'''12:freezer:{s}
11:devices:{s}
10:pids:{s}
9:blkio:{s}
8:memory:{s}
7:cpu,cpuacct:{s}
6:net_cls,net_prio:{s}
5:cpuset:{s}
1:name=systemd:{s}
0::{s}
'''
common(case, 4242, 'nginx: master', 91234, v1cg(ID1), NETDEV, BOOT)
d=f'/sys/fs/cgroup/%s/system.slice/docker-{ID1}.scope'
w(case, d%'cpu,cpuacct'+'/cpuacct.usage', '5123456789\n')
w(case, d%'cpu,cpuacct'+'/cpuacct.stat', 'user 400\nsystem 112\n')
w(case, d%'memory'+'/memory.usage_in_bytes', '16777216\n')
w(case, d%'memory'+'/memory.limit_in_bytes', '268435456\n')
w(case, d%'memory'+'/memory.stat', V1STAT.format(cache=13631488, inactive=9437184, limit=268435456))
w(case, d%'blkio'+'/blkio.throttle.io_service_bytes_recursive', '8:16 Read 1048576\n8:16 Write 0\n8:16 Sync 1048576\n8:16 Async 0\n8:16 Discard 0\n8:16 Total 1048576\n8:0 Read 2097152\n8:0 Write 524288\n8:0 Sync 2097152\n8:0 Async 524288\n8:0 Discard 0\n8:0 Total 2621440\nTotal 3670016\n')
w(case, d%'pids'+'/pids.current', '7\n')
# a process in the root cgroups (not a container's): never resolved, never the root's memory.stat
w(case, '/proc/98/cgroup', v1cg(ID1).replace(f'/system.slice/docker-{ID1}.scope', '/'))
# a second container with cpuacct.stat only (kernels without cpuacct.usage) and no limit
common(case, 4343, 'sleep', 91300, v1cg(ID2), '''Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
''', BOOT)
d2=f'/sys/fs/cgroup/%s/system.slice/docker-{ID2}.scope'
w(case, d2%'cpu,cpuacct'+'/cpuacct.stat', 'user 250\nsystem 50\n')
w(case, d2%'memory'+'/memory.usage_in_bytes', '1048576\n')
w(case, d2%'memory'+'/memory.limit_in_bytes', '9223372036854771712\n')
w(case, d2%'memory'+'/memory.stat', V1STAT.format(cache=0, inactive=0, limit=9223372036854771712))
w(case, d2%'blkio'+'/blkio.throttle.io_service_bytes_recursive', 'Total 0\n')
w(case, d2%'pids'+'/pids.current', '1\n')

# ---- v2-systemd: unified host (Debian 12, Ubuntu 22.04), docker's default systemd driver
case='v2-systemd'
V2MI='''25 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
26 25 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
30 26 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
'''
w(case,'/proc/self/mountinfo',V2MI)
w(case,'/sys/fs/cgroup/cgroup.controllers','cpuset cpu io memory hugetlb pids rdma misc\n')
common(case, 5151, 'postgres', 120000, f'0::/system.slice/docker-{ID1}.scope\n', NETDEV, BOOT)
d=f'/sys/fs/cgroup/system.slice/docker-{ID1}.scope'
w(case, d+'/cpu.stat', cpustat(7654321))
w(case, d+'/memory.current', '25165824\n')
w(case, d+'/memory.max', 'max\n')
w(case, d+'/memory.stat', V2STAT.format(inactive=8388608))
w(case, d+'/io.stat', '8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0\n8:0 rbytes=90430464 wbytes=299008000 rios=8950 wios=1252 dbytes=50331648 dios=3021\n')
w(case, d+'/pids.current', '12\n')
w(case, '/proc/99/cgroup', '0::/\n')  # the root cgroup

# ---- v2-cgroupfs: unified host, dockerd --exec-opt native.cgroupdriver=cgroupfs, docker run -m 256m; host network
case='v2-cgroupfs'
w(case,'/proc/self/mountinfo',V2MI)
w(case,'/sys/fs/cgroup/cgroup.controllers','cpuset cpu io memory hugetlb pids rdma misc\n')
common(case, 6161, 'redis-server', 130000, f'0::/docker/{ID1}\n', NETDEV, BOOT)
d=f'/sys/fs/cgroup/docker/{ID1}'
w(case, d+'/cpu.stat', cpustat(1000000))
w(case, d+'/memory.current', '10485760\n')
w(case, d+'/memory.max', '268435456\n')
w(case, d+'/memory.stat', V2STAT.format(inactive=20971520))  # more than current: usage stays memory.current
w(case, d+'/io.stat', '')
w(case, d+'/pids.current', '4\n')

# ---- v2-pi: Raspberry Pi OS 12, memory controller off (cgroup_disable=memory is the default there)
case='v2-pi-nomemory'
w(case,'/proc/self/mountinfo','''22 1 179:2 / / rw,noatime shared:1 - ext4 /dev/mmcblk0p2 rw
23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
27 23 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
''')
w(case,'/sys/fs/cgroup/cgroup.controllers','cpuset cpu io pids\n')
common(case, 777, 'sleep', 5000, f'0::/system.slice/docker-{ID2}.scope\n', NETDEV, BOOT)
d=f'/sys/fs/cgroup/system.slice/docker-{ID2}.scope'
w(case, d+'/cpu.stat', cpustat(250000))
w(case, d+'/io.stat', '179:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n')
w(case, d+'/pids.current', '1\n')

# ---- v2-rootless: rootless dockerd under the user's systemd, systemd driver; memory and pids delegated, not io
case='v2-rootless'
w(case,'/proc/self/mountinfo',V2MI)
w(case,'/sys/fs/cgroup/cgroup.controllers','cpuset cpu io memory hugetlb pids rdma misc\n')
p=f'/user.slice/user-1000.slice/user@1000.service/user.slice/docker-{ID2}.scope'
common(case, 8181, 'sleep', 140000, f'0::{p}\n', NETDEV, BOOT)
d='/sys/fs/cgroup'+p
w(case, d+'/cpu.stat', cpustat(42000))
w(case, d+'/memory.current', '2097152\n')
w(case, d+'/memory.max', 'max\n')
w(case, d+'/memory.stat', V2STAT.format(inactive=0))
w(case, d+'/pids.current', '2\n')
