import { createRoutingContext, proposeRouting, type RoutingContext } from '@aduan/routing';
import type { NewsItem } from './news-item';

export interface MatchedPlace {
  kode: string;
  nama: string;
  level: 'kelurahan' | 'kecamatan' | 'kota';
}

export interface NewsMatch {
  keyword: string;
  place: MatchedPlace;
}

/** Lower case, without accents, one space between words: "Jalan  Rusák" → "jalan rusak". */
function normalise(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Which news items are possible complaints: one of the keywords and a Jakarta place name.
 *
 * Keywords are found inside words, because Indonesian builds words around them ("kebanjiran",
 * "kemacetan", "persampahan"). Places are found by the router's own reading of a text
 * (the gazetteer of kelurahan, kecamatan, kota and landmarks, with its rules for ambiguous
 * names), so a candidate's place is the place the router will route the report to.
 */
export class NewsFilter {
  private readonly keywords: Array<{ word: string; normal: string }>;
  private readonly routing: RoutingContext;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords
      .map((word) => ({ word, normal: normalise(word).trim() }))
      .filter((k) => k.normal);
    this.routing = createRoutingContext({ recordIncidents: false });
  }

  match(item: Pick<NewsItem, 'title' | 'summary'>): NewsMatch | null {
    const text = `${item.title}\n${item.summary}`;
    const normal = normalise(text);
    const keyword = this.keywords.find((k) => normal.includes(k.normal));
    if (!keyword) return null;
    const place = this.placeOf(text);
    return place ? { keyword: keyword.word, place } : null;
  }

  private placeOf(text: string): MatchedPlace | null {
    const decision = proposeRouting(
      { id: 'media-filter', channel: 'media', text, receivedAt: new Date().toISOString() },
      this.routing,
    );
    if (decision.kelurahan) return { ...decision.kelurahan, level: 'kelurahan' };
    if (decision.kecamatan) return { ...decision.kecamatan, level: 'kecamatan' };
    if (decision.kota) return { ...decision.kota, level: 'kota' };
    // A kelurahan named without enough certainty to route is still a Jakarta place for an officer to check.
    const best = decision.candidates.places[0];
    return best ? { kode: best.kode, nama: best.nama, level: best.level } : null;
  }
}
