import { RegoError } from '../errors.ts'
import { digest256 } from './tee-claims.ts'

/**
 * A genpolicy-style `policy_data` for one simple pod, built from `genpolicy-settings.json`
 * the way genpolicy (kata-containers src/tools/genpolicy, policy.rs `get_container_policy`)
 * assembles it, so that the current `rules.rego` can be evaluated without running genpolicy:
 *
 *   apiVersion: v1
 *   kind: Pod
 *   metadata: { name: simple-pod, namespace: default }
 *   spec:
 *     runtimeClassName: kata
 *     containers: [{ name: busybox, image: quay.io/prometheus/busybox:latest, command: [sh] }]
 *
 * - `containers[0]` is the pause container, `containers[1]` busybox. Each has `OCI` (the
 *   expected OCI spec fragment), `storages`, `devices`, `sandbox_pidns` and `exec_commands`.
 * - `OCI.Version` = `kata_config.oci_version`; `OCI.Root` = the settings container `Root`
 *   (`$(root_path)`), Readonly from the pod (pause: true, busybox: false).
 * - `OCI.Annotations` = the settings container annotations plus what genpolicy adds:
 *   sandbox-name, sandbox-namespace, container-name and image-name (not for pause), and for the
 *   pause container the `nerdctl/network-namespace` regex (the pod does not use the host network).
 * - `OCI.Process`: containerd's default process (cwd `/`, `$(default_caps)` for the bounding,
 *   effective and permitted sets), args and env from the image config (pause: `/pause`; busybox:
 *   the pod's command `sh`), `HOSTNAME=$(host-name)` for non-pause containers, user and groups
 *   from the image (pause 65535; busybox root with groups 0 and 10), NoNewPrivileges from the
 *   settings (pause) or the pod (busybox: privilege escalation allowed).
 * - `OCI.Mounts`: containerd's default mounts (proc, dev, devpts, mqueue, sysfs; plus the cgroup
 *   mount for non-pause containers), then the settings container mounts; mounts the settings list
 *   without a `source` get genpolicy's shared-file regex `$(sfprefix)<file name>$`, and the
 *   hostname/resolv.conf mounts of busybox get the `rw` access option.
 * - `OCI.Linux`: the kata namespaces (ipc, uts, mount), containerd's masked and readonly paths,
 *   no devices, and the settings `Sysctl`.
 * - `storages`: none. With `cluster_config.guest_pull` the image is pulled inside the guest, so
 *   the request carries one `image_guest_pull` storage that rules.rego accepts on its own.
 * - `common`, `sandbox`, `request_defaults`, `devices`, `cluster_config` and `kata_config` are
 *   copied from the settings (rules.rego reads `policy_data.devices.vfio.device_path` and
 *   `policy_data.cluster_config.cgroup_mount_extras_allowed`).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

export const SIMPLE_POD = {
  name: 'simple-pod',
  namespace: 'default',
  uid: 'f7641c61-8a63-4bc6-98b9-6a4a5b0d860a',
  containerName: 'busybox',
  image: 'quay.io/prometheus/busybox:latest',
  sandboxId: digest256('simple-pod sandbox'),
  containerId: digest256('simple-pod busybox'),
  networkNamespace: '/var/run/netns/cni-3e413870-ed7b-d970-7440-cc55c7795613',
} as const

export const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** containerd's default masked and readonly paths (oci/spec.go). */
export const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/sys/firmware',
  '/proc/scsi',
]
export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']

/** containerd's default mounts for a non-privileged container. */
export function containerdMounts(isPause: boolean): JsonObject[] {
  const mounts: JsonObject[] = [
    { destination: '/proc', source: 'proc', type_: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev',
      source: 'tmpfs',
      type_: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      source: 'devpts',
      type_: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/dev/mqueue', source: 'mqueue', type_: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', source: 'sysfs', type_: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
  ]
  if (!isPause) {
    mounts.push({
      destination: '/sys/fs/cgroup',
      source: 'cgroup',
      type_: 'cgroup',
      options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'],
    })
  }
  return mounts
}

function asObject(v: Json | undefined, what: string): JsonObject {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v))
    throw new RegoError('invalid_argument', `${what} is not an object`)
  return v
}

function clone<T extends Json>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}

function policyMounts(settingsContainer: JsonObject, isPause: boolean): JsonObject[] {
  const mounts = containerdMounts(isPause)
  const settingsMounts = settingsContainer['Mounts']
  if (!Array.isArray(settingsMounts)) throw new RegoError('invalid_argument', 'settings container has no Mounts')
  for (const m of settingsMounts) {
    const mount = clone(asObject(m, 'mount'))
    const destination = mount['destination'] as string
    if (mount['source'] === undefined) {
      mount['source'] = `$(sfprefix)${destination.split('/').pop() ?? ''}$`
    }
    const options = mount['options'] as string[]
    if (!isPause && (destination === '/etc/hostname' || destination === '/etc/resolv.conf')) options.push('rw')
    mounts.push(mount)
  }
  return mounts
}

export interface SimplePodOptions {
  /** `exec_commands` of the busybox container (genpolicy takes them from probes). */
  readonly execCommands?: readonly (readonly string[])[]
  /** Replaces entries of `request_defaults` (e.g. `{ ReadStreamRequest: true }`). */
  readonly requestDefaults?: Readonly<Record<string, Json>>
}

/** The policy_data object for the simple pod. */
export function simplePodPolicyData(settingsJson: string, options: SimplePodOptions = {}): JsonObject {
  const settings = asObject(JSON.parse(settingsJson) as Json, 'settings')
  const pauseSettings = asObject(settings['pause_container'], 'pause_container')
  const otherSettings = asObject(settings['other_container'], 'other_container')
  const kataConfig = asObject(settings['kata_config'], 'kata_config')
  const common = asObject(settings['common'], 'common')
  const ociVersion = kataConfig['oci_version'] as string
  const capabilities: JsonObject = {
    Ambient: [],
    Bounding: ['$(default_caps)'],
    Effective: ['$(default_caps)'],
    Inheritable: [],
    Permitted: ['$(default_caps)'],
  }
  const linux = (settingsContainer: JsonObject): JsonObject => ({
    Namespaces: [
      { Type: 'ipc', Path: '' },
      { Type: 'uts', Path: '' },
      { Type: 'mount', Path: '' },
    ],
    MaskedPaths: [...MASKED_PATHS],
    ReadonlyPaths: [...READONLY_PATHS],
    Devices: [],
    Sysctl: clone(asObject(asObject(settingsContainer['Linux'], 'Linux')['Sysctl'], 'Sysctl')),
  })

  const pause: JsonObject = {
    OCI: {
      Version: ociVersion,
      Process: {
        Terminal: false,
        User: { UID: 65535, GID: 65535, AdditionalGids: [65535], Username: '' },
        Args: ['/pause'],
        Env: [PATH_ENV],
        Cwd: '/',
        Capabilities: clone(capabilities),
        NoNewPrivileges: true,
      },
      Root: { Path: '$(root_path)', Readonly: true },
      Mounts: policyMounts(pauseSettings, true),
      Annotations: {
        ...clone(asObject(pauseSettings['Annotations'], 'Annotations')),
        'io.kubernetes.cri.sandbox-name': SIMPLE_POD.name,
        'io.kubernetes.cri.sandbox-namespace': SIMPLE_POD.namespace,
        'nerdctl/network-namespace':
          '^/var/run/netns/cni-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
      },
      Linux: linux(pauseSettings),
    },
    storages: [],
    devices: [],
    sandbox_pidns: false,
    exec_commands: [],
  }

  const busybox: JsonObject = {
    OCI: {
      Version: ociVersion,
      Process: {
        Terminal: false,
        User: { UID: 0, GID: 0, AdditionalGids: [0, 10], Username: '' },
        Args: ['sh'],
        Env: [PATH_ENV, 'HOSTNAME=$(host-name)'],
        Cwd: '/',
        Capabilities: clone(capabilities),
        NoNewPrivileges: false,
      },
      Root: { Path: '$(root_path)', Readonly: false },
      Mounts: policyMounts(otherSettings, false),
      Annotations: {
        ...clone(asObject(otherSettings['Annotations'], 'Annotations')),
        'io.kubernetes.cri.sandbox-name': SIMPLE_POD.name,
        'io.kubernetes.cri.sandbox-namespace': SIMPLE_POD.namespace,
        'io.kubernetes.cri.container-name': SIMPLE_POD.containerName,
        'io.kubernetes.cri.image-name': SIMPLE_POD.image,
      },
      Linux: linux(otherSettings),
    },
    storages: [],
    devices: [],
    sandbox_pidns: false,
    exec_commands: (options.execCommands ?? []).map((c) => [...c]),
  }

  const requestDefaults = {
    ...clone(asObject(settings['request_defaults'], 'request_defaults')),
    ...(options.requestDefaults ?? {}),
  }
  return {
    containers: [pause, busybox],
    common: clone(common),
    sandbox: clone(asObject(settings['sandbox'], 'sandbox')),
    request_defaults: requestDefaults,
    devices: clone(asObject(settings['devices'], 'devices')),
    cluster_config: clone(asObject(settings['cluster_config'], 'cluster_config')),
    kata_config: clone(kataConfig),
  }
}

/** genpolicy's output text: the rules, then `policy_data := <pretty JSON>`. */
export function genpolicyText(rules: string, policyData: JsonObject): string {
  return `${rules}\npolicy_data := ${JSON.stringify(policyData, null, 2)}`
}
