import { createMemoryStorage } from './memory-storage.ts'
import { storageContract } from './storage-contract.ts'

storageContract('memory', () => Promise.resolve(createMemoryStorage()))
