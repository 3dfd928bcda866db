import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { RegoSet } from '../../../value/value.ts'
import { equal } from '../../../value/compare.ts'
import { hostsAddresses, lookupIPAddr } from './lookup-ip-addr.ts'

const HOSTS =
  '127.0.0.1 localhost\n::1 localhost ip6-localhost # loopback\n# 10.0.0.1 ignored\n10.1.1.1 Build.Example build\n'

describe('net.lookup_ip_addr', () => {
  it('returns IP literals as they are', () => {
    assert.ok(
      equal(
        lookupIPAddr('10.0.0.0', () => ''),
        RegoSet.from(['10.0.0.0']),
      ),
    )
    assert.ok(
      equal(
        lookupIPAddr('::', () => ''),
        RegoSet.from(['::']),
      ),
    )
  })

  it('reads names from the hosts file, case-insensitively', () => {
    assert.deepEqual(hostsAddresses(HOSTS, 'localhost'), ['127.0.0.1', '::1'])
    assert.ok(
      equal(
        lookupIPAddr('build.example', () => HOSTS),
        RegoSet.from(['10.1.1.1']),
      ),
    )
  })

  it('says so when a name would need DNS', () => {
    assert.throws(() => lookupIPAddr('example.com', () => HOSTS), /lookup example.com: DNS resolution is not available/)
  })
})
