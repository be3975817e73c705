import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KEYWORDS } from '../config';
import { NewsFilter } from './news-filter';
import { toNewsItem } from './news-item';
import { parseFeed } from './read-feed';

const fixture = (name: string) => readFileSync(join(__dirname, '../../test/fixtures', name), 'utf8');

describe('NewsFilter: a keyword and a Jakarta place', () => {
  const filter = new NewsFilter(DEFAULT_KEYWORDS);
  const match = (title: string, summary = '') => filter.match({ title, summary });

  it('keeps "banjir di Kampung Melayu" with the kelurahan the router knows', () => {
    expect(match('Banjir di Kampung Melayu, warga mengungsi')).toEqual({
      keyword: 'banjir',
      place: { kode: '31.75.03.1001', nama: 'Kampung Melayu', level: 'kelurahan' },
    });
  });

  it('finds keywords inside Indonesian affixed words and in any case', () => {
    expect(match('Warga Cempaka Putih Timur Kebanjiran Lagi')?.keyword).toBe('banjir');
    expect(match('KEMACETAN PANJANG DI KELURAHAN KRAMAT JATI')?.keyword).toBe('macet');
  });

  it('takes a kecamatan or a kota when no kelurahan is named', () => {
    expect(match('Sampah menumpuk di Kecamatan Tebet')?.place).toEqual({
      kode: '31.74.01',
      nama: 'Tebet',
      level: 'kecamatan',
    });
    expect(match('Jalan rusak di Jakarta Timur')?.place).toMatchObject({ kode: '31.75', level: 'kota' });
  });

  it('passes over news without a keyword, or outside Jakarta', () => {
    expect(match('Festival kuliner digelar di Kampung Melayu')).toBeNull();
    expect(match('Banjir rob kembali genangi pesisir Semarang')).toBeNull();
  });

  it('uses the configured keywords only', () => {
    const parking = new NewsFilter(['parkir liar']);
    expect(parking.match({ title: 'Banjir di Kampung Melayu', summary: '' })).toBeNull();
    expect(parking.match({ title: 'Parkir liar di Tebet Barat', summary: '' })?.keyword).toBe('parkir liar');
  });

  it('keeps the Jakarta complaints of a real-shaped RSS and Atom feed, and nothing else', async () => {
    const picked: string[] = [];
    for (const [file, url] of [
      ['warta-ibukota-rss.xml', 'https://warta-ibukota.example/rss/megapolitan'],
      ['kabar-metro-atom.xml', 'https://kabar-metro.example/atom.xml'],
    ] as const) {
      const feed = { name: file, url: new URL(url) };
      for (const entry of (await parseFeed(feed, fixture(file))).entries) {
        const m = filter.match(toNewsItem(entry, feed.url));
        if (m) picked.push(`${m.keyword} @ ${m.place.nama}`);
      }
    }
    expect(picked).toEqual([
      'banjir @ Kampung Melayu',
      'jalan berlubang @ Kramatjati',
      'sampah @ Manggarai',
      'pohon tumbang @ Tebet Barat',
      'genangan @ Cempaka Putih Timur',
    ]);
  });
});
