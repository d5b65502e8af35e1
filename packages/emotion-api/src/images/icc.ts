/**
 * The description of an ICC colour profile ("sRGB", "Display P3", ...), read from its `desc`
 * tag (ICC v2 `desc` or v4 `mluc`), or undefined when the profile cannot be read.
 */
export function iccDescription(icc: Buffer): string | undefined {
  try {
    const count = icc.readUInt32BE(128);
    for (let i = 0; i < Math.min(count, 100); i++) {
      const entry = 132 + i * 12;
      if (icc.toString('latin1', entry, entry + 4) !== 'desc') continue;
      const offset = icc.readUInt32BE(entry + 4);
      const type = icc.toString('latin1', offset, offset + 4);
      if (type === 'desc') {
        const length = icc.readUInt32BE(offset + 8);
        return icc.toString('latin1', offset + 12, offset + 12 + length).replace(/\0+$/, '');
      }
      if (type === 'mluc') {
        const length = icc.readUInt32BE(offset + 20);
        const start = offset + icc.readUInt32BE(offset + 24);
        return utf16be(icc.subarray(start, start + length));
      }
      return undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function utf16be(bytes: Buffer): string {
  const copy = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return copy.swap16().toString('utf16le').replace(/\0+$/, '');
}

/** True when the profile describes sRGB, whose pixels need no conversion to be sRGB. */
export function isSrgbProfile(icc: Buffer | undefined): boolean {
  if (!icc) return false;
  const description = iccDescription(icc);
  return description !== undefined && /^sRGB\b|sRGB IEC ?61966-2[.-]1/i.test(description);
}
