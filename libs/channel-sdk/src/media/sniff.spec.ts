import sharp from 'sharp';
import { sniffMediaType } from './sniff';

const solid = () => sharp({ create: { width: 4, height: 4, channels: 3, background: '#336699' } });

/** The first bytes of an ISO base media file (MP4, MOV, HEIC…) with the given brands. */
function isoFile(major: string, ...compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const box = Buffer.alloc(size + 8);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((b, i) => box.write(b, 16 + 4 * i, 'latin1'));
  return box;
}

describe('sniffMediaType', () => {
  it('recognises photos by their bytes', async () => {
    expect(sniffMediaType(await solid().jpeg().toBuffer())).toBe('image/jpeg');
    expect(sniffMediaType(await solid().png().toBuffer())).toBe('image/png');
    expect(sniffMediaType(await solid().webp().toBuffer())).toBe('image/webp');
    expect(sniffMediaType(await solid().gif().toBuffer())).toBe('image/gif');
    expect(sniffMediaType(await solid().avif().toBuffer())).toBe('image/avif');
  });

  it('tells an iPhone photo (HEIC) from an iPhone video (MOV) and from MP4 and M4A', () => {
    expect(sniffMediaType(isoFile('heic', 'mif1', 'heic'))).toBe('image/heic');
    expect(sniffMediaType(isoFile('mif1', 'mif1', 'heic'))).toBe('image/heic');
    expect(sniffMediaType(isoFile('qt  ', 'qt  '))).toBe('video/quicktime');
    expect(sniffMediaType(isoFile('isom', 'isom', 'iso2', 'avc1', 'mp41'))).toBe('video/mp4');
    expect(sniffMediaType(isoFile('3gp4', '3gp4'))).toBe('video/3gpp');
    expect(sniffMediaType(isoFile('M4A ', 'M4A ', 'mp42'))).toBe('audio/mp4');
    expect(sniffMediaType(isoFile('crx '))).toBeNull();
  });

  it('recognises letters and voice notes', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toBe('application/pdf');
    expect(sniffMediaType(Buffer.from('OggS\x00\x02\x00\x00\x00\x00', 'latin1'))).toBe('audio/ogg');
    expect(sniffMediaType(Buffer.from('ID3\x04\x00\x00\x00\x00', 'latin1'))).toBe('audio/mpeg');
    expect(sniffMediaType(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0x00]))).toBe('audio/mpeg');
    expect(sniffMediaType(Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x00]))).toBe('audio/aac');
    expect(sniffMediaType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBe('audio/wav');
    expect(sniffMediaType(Buffer.from('#!AMR\n\x3c', 'latin1'))).toBe('audio/amr');
  });

  it('does not take a name or a look-alike for a type', () => {
    expect(sniffMediaType(Buffer.from('this is not a photo, just text saved as foto.jpg'))).toBeNull();
    expect(sniffMediaType(Buffer.from('<html><script>alert(1)</script></html>'))).toBeNull();
    expect(sniffMediaType(Buffer.from('PK\x03\x04 a zip or an office file', 'latin1'))).toBeNull();
    expect(sniffMediaType(Buffer.from('MZ\x90\x00 a Windows program', 'latin1'))).toBeNull();
    expect(sniffMediaType(Buffer.from('RIFF\x24\x00\x00\x00AVI LIST', 'latin1'))).toBeNull();
    expect(sniffMediaType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffMediaType(Buffer.alloc(0))).toBeNull();
  });
});
