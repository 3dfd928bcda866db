import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { defaultLookaside, defaultPolicyPath, defaultRegistriesDir } from './containers-paths.ts'

describe('containers default locations', () => {
  const none = (): Promise<boolean> => Promise.resolve(false)
  const all = (): Promise<boolean> => Promise.resolve(true)

  test('user files win over /etc when they exist', async () => {
    assert.equal(await defaultPolicyPath({ home: '/home/u', exists: none }), '/etc/containers/policy.json')
    assert.equal(await defaultPolicyPath({ home: '/home/u', exists: all }), '/home/u/.config/containers/policy.json')
    assert.equal(await defaultRegistriesDir({ home: '/home/u', exists: none }), '/etc/containers/registries.d')
    assert.equal(
      await defaultRegistriesDir({ home: '/home/u', exists: all }),
      '/home/u/.config/containers/registries.d',
    )
  })

  test('default lookaside: root vs user', () => {
    assert.equal(defaultLookaside({ uid: 0, home: '/root' }), 'file:///var/lib/containers/sigstore')
    assert.equal(defaultLookaside({ uid: 1000, home: '/home/u' }), 'file:///home/u/.local/share/containers/sigstore')
  })
})
