import sharp from 'sharp';
import { qrModules, qrSvg } from './pairing-qr';

// The shape of the string WhatsApp Web's `qr` event carries (whatsapp-web.js documents this example).
const PAIRING =
  '1@9Q8tWf6bnezr8uVGwVCluyRuBOJ3tIglimzI5dHB0vQW2m4DQ0GMlCGf,f1/vGcW4Z3vBa1eDNl3tOjWqLL5DpYTI84DMVkYnQE8=,ZL7YnK2qdPN8vKo2ESxhOQ==';

/** The dark/light pattern of a finder (the three big squares a phone's camera locks onto). */
const FINDER = [0, 1, 2, 3, 4, 5, 6].map((y) =>
  [0, 1, 2, 3, 4, 5, 6].map((x) => {
    const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
    return ring !== 2;
  }),
);

describe('the pairing QR code as an image', () => {
  it('is a square symbol of a QR size with the three finder patterns where a scanner looks', () => {
    const m = qrModules(PAIRING);
    const n = m.length;
    expect(m.every((row) => row.length === n)).toBe(true);
    expect((n - 17) % 4).toBe(0);
    const at = (x0: number, y0: number) => FINDER.map((row, y) => row.map((_, x) => m[y0 + y]![x0 + x]));
    expect(at(0, 0)).toEqual(FINDER);
    expect(at(n - 7, 0)).toEqual(FINDER);
    expect(at(0, n - 7)).toEqual(FINDER);
    expect(qrModules(`${PAIRING}x`)).not.toEqual(m);
  });

  it('draws as an SVG image with a light quiet zone and the modules in black', async () => {
    const m = qrModules(PAIRING);
    const { data, info } = await sharp(Buffer.from(qrSvg(PAIRING, 4)))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const side = m.length + 8;
    expect(info.width).toBe(side * 4);
    // Sample the centre of each module: the picture is the matrix, inside a four-module light margin.
    const pixel = (x: number, y: number) => data[(y * 4 + 2) * info.width + x * 4 + 2]!;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const dark = m[y - 4]?.[x - 4] ?? false;
        expect([x, y, pixel(x, y) < 128]).toEqual([x, y, dark]);
      }
    }
  });
});
