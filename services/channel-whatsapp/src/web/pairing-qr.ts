import * as qrcode from 'qrcode-terminal';

// qrcode-terminal draws each module as two spaces on a black (40) or white (47) ANSI background.
const ESC = String.fromCharCode(27);
const CELL = new RegExp(`${ESC}\\[(40|47)m {2}${ESC}\\[0m`, 'g');

/**
 * The QR code's modules (true: dark), read from qrcode-terminal's full-size drawing: the encoder
 * the adapter already prints with, through its public API, so no second QR library is needed.
 */
export function qrModules(text: string): boolean[][] {
  let drawing = '';
  qrcode.generate(text, { small: false }, (out) => (drawing = out));
  const rows = drawing
    .split('\n')
    .map((line) => [...line.matchAll(CELL)].map((cell) => cell[1] === '40'))
    .filter((row) => row.length > 0);
  // The drawing has a one-module light border; the symbol is inside it.
  return rows.slice(1, -1).map((row) => row.slice(1, -1));
}

/**
 * The QR code as an SVG image: black modules on white, with the four-module quiet zone phones
 * need to find it. One path, so even a large code stays a small answer.
 */
export function qrSvg(text: string, moduleSize = 8): string {
  const modules = qrModules(text);
  const quiet = 4;
  const side = modules.length + 2 * quiet;
  const path = modules
    .flatMap((row, y) => row.map((dark, x) => (dark ? `M${x + quiet} ${y + quiet}h1v1h-1z` : '')))
    .join('');
  const px = side * moduleSize;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges">` +
    `<rect width="${side}" height="${side}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  );
}
