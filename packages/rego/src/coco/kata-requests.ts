import { containerdMounts, MASKED_PATHS, PATH_ENV, READONLY_PATHS, SIMPLE_POD, type Json } from './kata-policy-data.ts'

/**
 * Kata agent ttRPC requests, as the agent serialises them to JSON for the policy `input`
 * (field names of the agent protocol; OCI fields capitalised as in the agent's oci.proto
 * structs). These are the requests the runtime sends for the simple pod of kata-policy-data.ts.
 */

type JsonObject = { [key: string]: Json }

const DEFAULT_CAPS = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
]

const SERVICE_ENV = [
  'KUBERNETES_PORT_443_TCP_PROTO=tcp',
  'KUBERNETES_PORT_443_TCP_PORT=443',
  'KUBERNETES_PORT_443_TCP_ADDR=10.0.0.1',
  'KUBERNETES_SERVICE_HOST=10.0.0.1',
  'KUBERNETES_SERVICE_PORT=443',
  'KUBERNETES_SERVICE_PORT_HTTPS=443',
  'KUBERNETES_PORT=tcp://10.0.0.1:443',
  'KUBERNETES_PORT_443_TCP=tcp://10.0.0.1:443',
]

/** A shared-file mount source as the runtime creates it: `<cpath>/<id>-<16 hex>-<name>`. */
function sharedFile(containerId: string, suffix: string, name: string, watchable = false): string {
  return `/run/kata-containers/shared/containers/${watchable ? 'watchable/' : ''}${containerId}-${suffix}-${name}`
}

function bind(destination: string, source: string, options: string[]): JsonObject {
  return { destination, source, type_: 'bind', options }
}

function linux(cgroupsPath: string): JsonObject {
  return {
    UIDMappings: [],
    GIDMappings: [],
    Sysctl: { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.ping_group_range': '0 2147483647' },
    Resources: {
      Devices: [],
      Memory: null,
      CPU: { Shares: 2, Quota: 0, Period: 100000, RealtimeRuntime: 0, RealtimePeriod: 0, Cpus: '', Mems: '' },
      Pids: null,
      BlockIO: null,
      HugepageLimits: [],
      Network: null,
    },
    CgroupsPath: cgroupsPath,
    Namespaces: [
      { Type: 'ipc', Path: '' },
      { Type: 'uts', Path: '' },
      { Type: 'mount', Path: '' },
      { Type: 'network', Path: SIMPLE_POD.networkNamespace },
    ],
    Devices: [],
    Seccomp: null,
    RootfsPropagation: '',
    MaskedPaths: [...MASKED_PATHS],
    ReadonlyPaths: [...READONLY_PATHS],
    MountLabel: '',
    IntelRdt: null,
  }
}

function process(args: string[], env: string[], uid: number, groups: number[], noNewPrivileges: boolean): JsonObject {
  return {
    Terminal: false,
    ConsoleSize: null,
    User: { UID: uid, GID: uid, AdditionalGids: groups, Username: '' },
    Args: args,
    Env: env,
    Cwd: '/',
    Capabilities: {
      Bounding: [...DEFAULT_CAPS],
      Effective: [...DEFAULT_CAPS],
      Inheritable: [],
      Permitted: [...DEFAULT_CAPS],
      Ambient: [],
    },
    Rlimits: [],
    NoNewPrivileges: noNewPrivileges,
    ApparmorProfile: '',
    OOMScoreAdj: 1000,
    SelinuxLabel: '',
  }
}

function request(containerId: string, oci: JsonObject, storages: JsonObject[]): JsonObject {
  return {
    container_id: containerId,
    exec_id: containerId,
    string_user: null,
    devices: [],
    storages,
    OCI: oci,
    sandbox_pidns: false,
    shared_mounts: [],
    stdin_port: 0,
    stdout_port: 0,
    stderr_port: 0,
  }
}

/** CreateContainerRequest for the pause (sandbox) container. */
export function createPauseContainerRequest(): JsonObject {
  const id = SIMPLE_POD.sandboxId
  return request(
    id,
    {
      Version: '1.1.0',
      Process: process(['/pause'], [PATH_ENV], 65535, [65535], true),
      Root: { Path: `/run/kata-containers/${id}/rootfs`, Readonly: true },
      Hostname: SIMPLE_POD.name,
      Mounts: [
        ...containerdMounts(true),
        bind('/dev/shm', '/run/kata-containers/sandbox/shm', ['rbind']),
        bind('/etc/resolv.conf', sharedFile(id, 'c9c9b9dc84433468', 'resolv.conf'), [
          'rbind',
          'ro',
          'nosuid',
          'nodev',
          'noexec',
        ]),
      ],
      Hooks: null,
      Annotations: {
        'io.kubernetes.cri.sandbox-name': SIMPLE_POD.name,
        'io.katacontainers.pkg.oci.bundle_path': `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}`,
        'io.kubernetes.cri.container-type': 'sandbox',
        'io.kubernetes.cri.sandbox-namespace': SIMPLE_POD.namespace,
        'nerdctl/network-namespace': SIMPLE_POD.networkNamespace,
        'io.kubernetes.cri.sandbox-memory': '0',
        'io.kubernetes.cri.sandbox-uid': SIMPLE_POD.uid,
        'io.kubernetes.cri.sandbox-cpu-period': '100000',
        'io.kubernetes.cri.sandbox-log-directory': `/var/log/pods/${SIMPLE_POD.namespace}_${SIMPLE_POD.name}_${SIMPLE_POD.uid}`,
        'io.kubernetes.cri.sandbox-cpu-quota': '0',
        'io.kubernetes.cri.sandbox-id': id,
        'io.katacontainers.pkg.oci.container_type': 'pod_sandbox',
        'io.kubernetes.cri.sandbox-cpu-shares': '2',
      },
      Linux: linux(`kubepods-besteffort-pod${SIMPLE_POD.uid.replaceAll('-', '_')}.slice:cri-containerd:${id}`),
      Solaris: null,
      Windows: null,
    },
    [],
  )
}

export interface AppContainerChanges {
  readonly args?: string[]
  readonly extraEnv?: string[]
  readonly extraMounts?: JsonObject[]
  /** Replace the source of the /etc/hosts mount. */
  readonly hostsSource?: string
  readonly annotations?: Record<string, string>
}

/** The busybox container's environment as the runtime passes it (image env, hostname, services). */
export function busyboxEnv(): string[] {
  return [PATH_ENV, `HOSTNAME=${SIMPLE_POD.name}`, ...SERVICE_ENV]
}

/** CreateContainerRequest for the busybox container, optionally altered. */
export function createAppContainerRequest(changes: AppContainerChanges = {}): JsonObject {
  const id = SIMPLE_POD.containerId
  const sandboxId = SIMPLE_POD.sandboxId
  const mounts: JsonObject[] = [
    ...containerdMounts(false),
    bind('/etc/hosts', changes.hostsSource ?? sharedFile(id, 'b0241970194aa0f1', 'hosts'), ['rbind', 'rprivate', 'rw']),
    bind('/dev/termination-log', sharedFile(id, '70afdd32aae261c9', 'termination-log'), ['rbind', 'rprivate', 'rw']),
    bind('/etc/hostname', sharedFile(id, 'cdfc9069abab6aa0', 'hostname'), ['rbind', 'rprivate', 'rw']),
    bind('/etc/resolv.conf', sharedFile(id, 'a9ad9599a85707b3', 'resolv.conf'), ['rbind', 'rprivate', 'rw']),
    bind('/dev/shm', '/run/kata-containers/sandbox/shm', ['rbind']),
    bind('/var/run/secrets/kubernetes.io/serviceaccount', sharedFile(id, '5f0e5e3718c35792', 'serviceaccount', true), [
      'rbind',
      'rprivate',
      'ro',
    ]),
    ...(changes.extraMounts ?? []),
  ]
  const guestPull: JsonObject = {
    driver: 'image_guest_pull',
    driver_options: [`image_guest_pull={"metadata":{"io.kubernetes.cri.image-name":"${SIMPLE_POD.image}"}}`],
    source: SIMPLE_POD.image,
    fstype: 'overlay',
    options: [],
    mount_point: `/run/kata-containers/${id}/rootfs`,
    fs_group: null,
    shared: false,
  }
  return request(
    id,
    {
      Version: '1.1.0',
      Process: process(changes.args ?? ['sh'], [...busyboxEnv(), ...(changes.extraEnv ?? [])], 0, [0, 10], false),
      Root: { Path: `/run/kata-containers/${id}/rootfs`, Readonly: false },
      Hostname: '',
      Mounts: mounts,
      Hooks: null,
      Annotations: {
        'io.katacontainers.pkg.oci.bundle_path': `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}`,
        'io.kubernetes.cri.sandbox-id': sandboxId,
        'io.kubernetes.cri.container-type': 'container',
        'io.katacontainers.pkg.oci.container_type': 'pod_container',
        'io.kubernetes.cri.sandbox-name': SIMPLE_POD.name,
        'io.kubernetes.cri.container-name': SIMPLE_POD.containerName,
        'io.kubernetes.cri.sandbox-uid': SIMPLE_POD.uid,
        'io.kubernetes.cri.sandbox-namespace': SIMPLE_POD.namespace,
        'io.kubernetes.cri.image-name': SIMPLE_POD.image,
        ...(changes.annotations ?? {}),
      },
      Linux: linux(`kubepods-besteffort-pod${SIMPLE_POD.uid.replaceAll('-', '_')}.slice:cri-containerd:${id}`),
      Solaris: null,
      Windows: null,
    },
    [guestPull],
  )
}

/** ExecProcessRequest in the busybox container. */
export function execProcessRequest(args: string[], containerId: string = SIMPLE_POD.containerId): JsonObject {
  return {
    container_id: containerId,
    exec_id: 'a1b2c3d4',
    string_user: null,
    process: {
      Terminal: false,
      ConsoleSize: null,
      User: { UID: 0, GID: 0, AdditionalGids: [0, 10], Username: '' },
      Args: args,
      Env: busyboxEnv(),
      Cwd: '/',
      Capabilities: null,
      Rlimits: [],
      NoNewPrivileges: false,
      ApparmorProfile: '',
      OOMScoreAdj: 0,
      SelinuxLabel: '',
    },
  }
}

/** The sandbox's /dev/shm storage, as listed in the settings' `sandbox.storages`. */
export const SANDBOX_SHM_STORAGE: JsonObject = {
  driver: 'ephemeral',
  driver_options: [],
  source: 'shm',
  fstype: 'tmpfs',
  options: ['noexec', 'nosuid', 'nodev', 'mode=1777', 'size=67108864'],
  mount_point: '/run/kata-containers/sandbox/shm',
  fs_group: null,
}

/** CreateSandboxRequest for the pod, with the settings' sandbox storage (the shm tmpfs). */
export function createSandboxRequest(changes: { storages?: JsonObject[]; kernelModules?: string[] } = {}): JsonObject {
  return {
    hostname: SIMPLE_POD.name,
    dns: [
      'search default.svc.cluster.local svc.cluster.local cluster.local',
      'nameserver 10.0.0.10',
      'options ndots:5',
    ],
    storages: changes.storages ?? [SANDBOX_SHM_STORAGE],
    sandbox_pidns: false,
    sandbox_id: SIMPLE_POD.sandboxId,
    guest_hook_path: '',
    kernel_modules: changes.kernelModules ?? [],
  }
}

/** CopyFileRequest of a shared file of the busybox container. */
export function copyFileRequest(
  path: string,
  fileType: 'Regular' | 'Directory' | 'Symlink' = 'Regular',
  symlinkTarget = '',
): JsonObject {
  return {
    path,
    file_size: 0,
    file_mode: 420,
    dir_mode: 493,
    uid: 0,
    gid: 0,
    offset: 0,
    data: '',
    symlink_target: symlinkTarget,
    file_type: fileType,
  }
}

/** The shared-file path of the busybox /etc/hosts, as copied by the runtime. */
export function sharedHostsPath(): string {
  return sharedFile(SIMPLE_POD.containerId, 'b0241970194aa0f1', 'hosts')
}

export function updateInterfaceRequest(
  changes: { name?: string; rawFlags?: number; hwAddr?: string } = {},
): JsonObject {
  return {
    interface: {
      device: 'eth0',
      name: changes.name ?? 'eth0',
      IPAddresses: [
        { family: 0, address: '10.244.2.63', mask: '24' },
        { family: 1, address: 'fe80::b076:e0ff:fee4:4483', mask: '64' },
      ],
      mtu: 1500,
      hwAddr: changes.hwAddr ?? 'b2:76:e0:e4:44:83',
      devicePath: '',
      type: '',
      raw_flags: changes.rawFlags ?? 0,
    },
  }
}

export function updateRoutesRequest(route: { source?: string; device?: string } = {}): JsonObject {
  return {
    routes: {
      Routes: [
        {
          dest: '',
          gateway: '10.244.2.1',
          device: route.device ?? 'eth0',
          source: route.source ?? '',
          scope: 0,
          family: 0,
        },
        { dest: '10.244.2.0/24', gateway: '', device: 'eth0', source: '10.244.2.63', scope: 253, family: 0 },
      ],
    },
  }
}

export function addArpNeighborsRequest(
  neighbor: { address?: string; state?: number; flags?: number; device?: string } = {},
): JsonObject {
  return {
    neighbors: {
      ARPNeighbors: [
        {
          toIPAddress: { family: 0, address: neighbor.address ?? '10.244.2.1', mask: '' },
          device: neighbor.device ?? 'eth0',
          lladdr: '12:34:56:78:9a:bc',
          state: neighbor.state ?? 128,
          flags: neighbor.flags ?? 0,
        },
      ],
    },
  }
}
