/** TCG PC Client event types (PFP spec §10.4.1) by value, with the names upstream's claims use. */
export const TCG_EVENT_TYPES: ReadonlyMap<number, string> = new Map([
  [0x0, 'EV_PREBOOT_CERT'],
  [0x1, 'EV_POST_CODE'],
  [0x2, 'EV_UNUSED'],
  [0x3, 'EV_NO_ACTION'],
  [0x4, 'EV_SEPARATOR'],
  [0x5, 'EV_ACTION'],
  [0x6, 'EV_EVENT_TAG'],
  [0x7, 'EV_S_CRTM_CONTENTS'],
  [0x8, 'EV_S_CRTM_VERSION'],
  [0x9, 'EV_CPU_MICROCODE'],
  [0xa, 'EV_PLATFORM_CONFIG_FLAGS'],
  [0xb, 'EV_TABLE_OF_DEVICES'],
  [0xc, 'EV_COMPACT_HASH'],
  [0xd, 'EV_IPL'],
  [0xe, 'EV_IPL_PARTITION_DATA'],
  [0xf, 'EV_NONHOST_CODE'],
  [0x10, 'EV_NONHOST_CONFIG'],
  [0x11, 'EV_NONHOST_INFO'],
  [0x12, 'EV_OMIT_BOOT_DEVICE_EVENTS'],
  [0x80000000, 'EV_EFI_EVENT_BASE'],
  [0x80000001, 'EV_EFI_VARIABLE_DRIVER_CONFIG'],
  [0x80000002, 'EV_EFI_VARIABLE_BOOT'],
  [0x80000003, 'EV_EFI_BOOT_SERVICES_APPLICATION'],
  [0x80000004, 'EV_EFI_BOOT_SERVICES_DRIVER'],
  [0x80000005, 'EV_EFI_RUNTIME_SERVICES_DRIVER'],
  [0x80000006, 'EV_EFI_GPT_EVENT'],
  [0x80000007, 'EV_EFI_ACTION'],
  [0x80000008, 'EV_EFI_PLATFORM_FIRMWARE_BLOB'],
  [0x80000009, 'EV_EFI_HANDOFF_TABLES'],
  [0x8000000a, 'EV_EFI_PLATFORM_FIRMWARE_BLOB2'],
  [0x8000000b, 'EV_EFI_HANDOFF_TABLES2'],
  [0x8000000c, 'EV_EFI_VARIABLE_BOOT2'],
  [0x80000010, 'EV_EFI_HCRTM_EVENT'],
  [0x800000e0, 'EV_EFI_VARIABLE_AUTHORITY'],
  [0x800000e1, 'EV_EFI_SPDM_FIRMWARE_BLOB'],
  [0x800000e2, 'EV_EFI_SPDM_FIRMWARE_CONFIG'],
])

export type TcgHashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SM3'

/** TPM_ALG_ID → claim name and node:crypto hash. */
export const TCG_ALGORITHMS: ReadonlyMap<
  number,
  { readonly name: TcgHashName; readonly hash: string; readonly size: number }
> = new Map([
  [0x4, { name: 'SHA-1', hash: 'sha1', size: 20 }],
  [0xb, { name: 'SHA-256', hash: 'sha256', size: 32 }],
  [0xc, { name: 'SHA-384', hash: 'sha384', size: 48 }],
  [0xd, { name: 'SHA-512', hash: 'sha512', size: 64 }],
  [0x12, { name: 'SM3', hash: 'sm3', size: 32 }],
])

/** Claim name → node:crypto hash and digest size. */
export const TCG_HASHES: ReadonlyMap<TcgHashName, { readonly hash: string; readonly size: number }> = new Map(
  [...TCG_ALGORITHMS.values()].map((a) => [a.name, { hash: a.hash, size: a.size }]),
)
