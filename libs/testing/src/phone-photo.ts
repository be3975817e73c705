/** Where `phonePhoto` says it was taken (Jakarta Pusat), to find in the original and nowhere else. */
export const PHONE_PHOTO_GPS = { latitude: -6.1667, longitude: 106.8167 };

/**
 * A small JPEG as a phone writes it: with the position it was taken at and the phone's serial
 * in its EXIF, which no public copy may keep. `shade` makes photos with different bytes.
 */
export async function phonePhoto(opts: { serial: string; shade?: number }): Promise<Buffer> {
  // Loaded here: most suites that import this library never make a photo.
  const { default: sharp } = await import('sharp');
  return sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: opts.shade ?? 40 } },
  })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: opts.serial },
      IFD3: {
        GPSLatitudeRef: 'S',
        GPSLatitude: '6/1 10/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '106/1 49/1 0/1',
      },
    })
    .toBuffer();
}
