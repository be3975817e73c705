import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PermanentError } from '@aduan/channel-sdk';
import { parseSearchQueries } from './config';
import { afterPage, readPosition, writePosition } from './position';
import {
  dmsOf,
  dmToInbound,
  isOwnOrNotAMessage,
  locationOf,
  mediaLinks,
  notAComplaint,
  postsOf,
  postToInbound,
} from './posts';

const CITY = '1700000000000000001';
const none = { attachments: [], notes: [] };
/** A page of posts with only the fields a case is about. */
const pageOf = (...data: object[]) => ({ data }) as Parameters<typeof postsOf>[0];
const page = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '../test/fixtures', name), 'utf8')) as Parameters<
    typeof postsOf
  >[0];

describe('X API v2 posts as reports', () => {
  it('a mention becomes a report by its author, answered under the post, with a thread for their later replies', () => {
    const [p] = postsOf(page('x-v2-users-mentions.author-expansion.json'), 'mentions');
    const m = postToInbound(p!, none);
    expect(m).toMatchObject({
      channel: 'twitter',
      sourceId: 'post:1301573587187331074',
      from: '1234567890',
      reporter: { anonymous: false, name: 'Dev Person', handle: '@developer' },
      replyTo: { address: '1234567890', thread: '1301573587187331074' },
      text: 'Hey @XDevelopers, love the new API!',
      receivedAt: new Date('2024-01-15T10:30:00.000Z'),
      threadKeys: ['post:1301573587187331074:1234567890'],
      inReplyTo: ['post:1301573587187331074:1234567890'],
      sourceUrl: 'https://x.com/i/web/status/1301573587187331074',
    });
    expect(notAComplaint(p!, CITY)).toBeNull();
  });

  it('a post given as one object (a lookup) is read too, with its photo and author from the expansions', () => {
    const [p] = postsOf(page('x-v2-tweet.author-photo-expansion.json'), 'mentions');
    expect(p!.author?.username).toBe('xdevelopers');
    expect(mediaLinks(p!.media, 'https://x.com/i/web/status/1234567890')).toEqual([
      { url: 'https://pbs.twimg.com/media/example.jpg', filename: 'example.jpg' },
    ]);
    // No created_at asked for: the time is read from the id.
    expect(postToInbound(p!, none).receivedAt).toBeInstanceOf(Date);
  });

  it('a video is kept as its still, said so on the report with where the video is', () => {
    const [p] = postsOf(page('x-v2-tweet.media-video-expansion.json'), 'search:governor');
    const [link] = mediaLinks(p!.media, 'https://x.com/i/web/status/1293593516040269825');
    expect(link).toMatchObject({
      url: 'https://pbs.twimg.com/ext_tw_video_thumb/1293565706408038401/pu/img/66P2dvbU4a02jYbV.jpg',
      stillOf: 'https://x.com/i/web/status/1293593516040269825',
    });
    const m = postToInbound(p!, { attachments: [], notes: ['still of a video'] });
    expect(m.reporter.handle).toBe('@TwitterDev');
    expect(m.text.endsWith('\n[still of a video]')).toBe(true);
    expect(m.receivedAt).toEqual(new Date('2020-08-12T17:01:42.000Z'));
  });

  it('a tagged place gives the centre of its box, its name, and how coarse it is', () => {
    const [p] = postsOf(page('x-v2-tweet.place-expansion.json'), 'mentions');
    const at = postToInbound(p!, none).location!;
    expect(at.address).toBe('Manhattan, NY');
    expect(at.lat).toBeCloseTo(40.780709, 5);
    expect(at.lon).toBeCloseTo(-73.9685415, 5);
    expect(at.accuracy).toBeGreaterThan(9_000); // a city, not a street corner
    expect(at.accuracy).toBeLessThan(12_000);
  });

  it('an exact point wins over the place; a point off the globe is no location', () => {
    const post = {
      id: '1',
      text: 'x',
      geo: { place_id: 'p', coordinates: { type: 'Point', coordinates: [106.8272, -6.1754] } },
    };
    expect(locationOf(post as never, undefined)).toEqual({ lat: -6.1754, lon: 106.8272 });
    const off = {
      ...post,
      geo: { place_id: 'p', coordinates: { type: 'Point', coordinates: [406.8, -96.1] } },
    };
    expect(locationOf(off as never, undefined)).toBeUndefined();
  });

  it('X’s escaped characters are given back as the citizen wrote them', () => {
    const [p] = postsOf(
      pageOf({ id: '5', author_id: '6', text: 'Got &amp; saluran &lt;5m&gt; mampet' }),
      'mentions',
    );
    expect(postToInbound(p!, none).text).toBe('Got & saluran <5m> mampet');
  });

  it('what is not a complaint: the city’s own posts, retweets, and quotes that add nothing of their own', () => {
    const post = (extra: object) =>
      postsOf(pageOf({ id: '10', author_id: '11', text: 'x', ...extra }), 'mentions')[0]!;
    expect(notAComplaint(post({ author_id: CITY }), CITY)).toBe('own-post');
    expect(notAComplaint(post({ referenced_tweets: [{ type: 'retweeted', id: '9' }] }), CITY)).toBe(
      'retweet',
    );
    const quoted = (text: string) => post({ text, referenced_tweets: [{ type: 'quoted', id: '9' }] });
    expect(notAComplaint(quoted('@DKIJakarta @GubernurJakarta https://t.co/x1'), CITY)).toBe('bare-quote');
    expect(notAComplaint(quoted('@DKIJakarta ini juga terjadi di Tebet https://t.co/x1'), CITY)).toBeNull();
    // A reply in a thread is a complaint (or its follow-up), not something to drop.
    expect(notAComplaint(post({ referenced_tweets: [{ type: 'replied_to', id: '9' }] }), CITY)).toBeNull();
  });

  it('a reply continues its author’s thread in the conversation, not anyone else’s', () => {
    const reply = (author: string) =>
      postToInbound(
        postsOf(pageOf({ id: '20', author_id: author, conversation_id: '15', text: 'lagi' }), 'mentions')[0]!,
        none,
      );
    expect(reply('31').inReplyTo).toEqual(['post:15:31']);
    expect(reply('32').inReplyTo).toEqual(['post:15:32']);
  });

  it('pages are taken in oldest first, so a reply comes after the post it answers', () => {
    const ps = postsOf(
      pageOf({ id: '3', text: 'c' }, { id: '2', text: 'b' }, { id: '1', text: 'a' }),
      'mentions',
    );
    expect(ps.map((p) => p.post.id)).toEqual(['1', '2', '3']);
  });

  it('a post that can never be read is a permanent error (quarantined), not a retry', () => {
    const bad = (post: object) => () => postToInbound(postsOf(pageOf(post), 'mentions')[0]!, none);
    expect(bad({ id: '1', author_id: '2', text: 'x', created_at: 'kemarin sore' })).toThrow(PermanentError);
    expect(bad({ id: 'abc', author_id: '2', text: 'x' })).toThrow(PermanentError);
    expect(bad({ id: '1', text: 'x' })).toThrow(PermanentError);
  });
});

describe('X API v2 direct messages as reports', () => {
  const event = (sender: string, extra: object = {}) =>
    dmsOf({
      data: [
        {
          id: '1582838223345836036',
          event_type: 'MessageCreate',
          text: 'Lampu PJU mati',
          sender_id: sender,
          created_at: '2022-10-19T20:58:00.000Z',
          ...extra,
        },
      ],
      includes: { users: [{ id: '906948460078698496', name: 'Warga', username: 'warga' }] },
    } as never)[0]!;

  it('a citizen’s DM is answered by DM to them, and is a chat (no thread keys)', () => {
    const dm = event('906948460078698496');
    expect(isOwnOrNotAMessage(dm, CITY)).toBe(false);
    const m = dmToInbound(dm, none);
    expect(m).toMatchObject({
      sourceId: 'dm:1582838223345836036',
      from: 'dm:906948460078698496',
      replyTo: { address: 'dm:906948460078698496' },
      reporter: { handle: '@warga', name: 'Warga' },
      text: 'Lampu PJU mati',
    });
    expect(m.threadKeys).toBeUndefined();
  });

  it('the city’s own DMs and other events are not complaints', () => {
    expect(isOwnOrNotAMessage(event(CITY), CITY)).toBe(true);
    expect(isOwnOrNotAMessage(event('906948460078698496', { event_type: 'ParticipantsJoin' }), CITY)).toBe(
      true,
    );
  });
});

describe('where a source is read from next', () => {
  it('keeps its newest id until the last page of a walk is read, so a crash mid-walk misses nothing', () => {
    let at = readPosition(null);
    at = afterPage(at, '300', 'page2'); // first page: 300…201, more below
    expect(at).toEqual({ token: 'page2', newest: '300' });
    at = readPosition(writePosition(at));
    at = afterPage(at, '200', 'page3'); // an older page does not move `newest`
    expect(at).toEqual({ token: 'page3', newest: '300' });
    at = afterPage(at, '100', undefined); // the last page
    expect(at).toEqual({ since: '300' });
    expect(afterPage(at, undefined, undefined)).toEqual({ since: '300' }); // nothing new
    expect(afterPage({ since: '300' }, '450', undefined)).toEqual({ since: '450' });
  });

  it('compares ids as numbers, not as text', () => {
    expect(afterPage({ since: '999' }, '1000', undefined)).toEqual({ since: '1000' });
  });

  it('a cursor that is not ours starts afresh rather than failing the source', () => {
    expect(readPosition('not json')).toEqual({});
  });
});

describe('TWITTER_SEARCH_QUERIES', () => {
  it('names each query; the name is its partition', () => {
    expect(
      parseSearchQueries(
        'governor=to:GubernurJakarta OR @GubernurJakarta; deputy = @WagubJakarta -is:retweet',
      ),
    ).toEqual([
      { name: 'governor', query: 'to:GubernurJakarta OR @GubernurJakarta' },
      { name: 'deputy', query: '@WagubJakarta -is:retweet' },
    ]);
    expect(parseSearchQueries('')).toEqual([]);
  });

  it('refuses an entry without a name, a name twice, or a name that is not a word', () => {
    expect(() => parseSearchQueries('@GubernurJakarta')).toThrow(/not name=query/);
    expect(() => parseSearchQueries('a=x;a=y')).toThrow(/used twice/);
    expect(() => parseSearchQueries('gub ernur=x')).toThrow(/not name=query/);
  });
});
