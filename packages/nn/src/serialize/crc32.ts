/**
 * The CRC-32 lookup tables for slicing-by-8 (polynomial 0xEDB88320, reflected, as zlib, PNG and gzip use):
 * TABLES[k][b] is the CRC of byte b followed by k zero bytes.
 */
const TABLES: Uint32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[0][b] = c >>> 0;
  }
  for (let b = 0; b < 256; b++) {
    for (let k = 1; k < 8; k++) tables[k][b] = (tables[k - 1][b] >>> 8) ^ tables[0][tables[k - 1][b] & 0xff];
  }
  return tables;
})();

/**
 * CRC-32 of `bytes` (the zlib/PNG checksum; check value: crc32 of the ASCII bytes "123456789" is 0xCBF43926), as an
 * unsigned 32-bit integer. Slicing-by-8, about 1 GB/s on one core. It detects every burst of up to 32 flipped bits
 * and all but 1 in 2³² random corruptions; it is a guard against damage, not against forgery.
 * Source: https://www.w3.org/TR/png/#D-CRCAppendix; Kounavis & Berry, "A Systematic Approach to Building High
 * Performance Software-based CRC Generators" (slicing-by-8), 2005.
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(bytes: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let crc = 0xffffffff;
  const n = bytes.length;
  const end8 = n - (n % 8);
  let i = 0;
  for (; i < end8; i += 8) {
    const a = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
    crc =
      t7[a & 0xff] ^
      t6[(a >>> 8) & 0xff] ^
      t5[(a >>> 16) & 0xff] ^
      t4[a >>> 24] ^
      t3[bytes[i + 4]] ^
      t2[bytes[i + 5]] ^
      t1[bytes[i + 6]] ^
      t0[bytes[i + 7]];
  }
  for (; i < n; i++) crc = t0[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
