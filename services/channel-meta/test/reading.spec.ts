import { PermanentError, WebhookRefused } from '@aduan/channel-sdk';
import { readItem, type Reading } from '../src/reading';
import { metaItems, type MetaItem } from '../src/webhook';
import { fixture, request } from './fixtures';

const itemsOf = (body: Buffer | string, skipped: string[] = []) =>
  metaItems(request(body), (what) => skipped.push(what));
const readOne = (body: Buffer | string): Reading => {
  const items = itemsOf(body);
  expect(items).toHaveLength(1);
  return readItem(items[0]!);
};
const writing = (r: Reading) => {
  if (r.action !== 'writing') throw new Error(`expected a writing, got ${r.action}`);
  return r.writing;
};
const json = (name: string) => JSON.parse(fixture(name).toString('utf8'));
const withValue = (name: string, change: Record<string, unknown>) => {
  const body = json(name);
  Object.assign(body.entry[0].changes[0].value, change);
  return JSON.stringify(body);
};

describe('reading Meta webhook deliveries', () => {
  it("a visitor's Page post becomes a comment-route complaint with its author's name", () => {
    const w = writing(readOne(fixture('facebook-page-feed-post.json')));
    expect(w.rules).toBe('comments');
    expect(w.message).toMatchObject({
      channel: 'facebook',
      sourceId: '{page-post-id}',
      from: '{user-id}',
      reporter: { anonymous: false, name: 'Cinderella Hoover', replyTo: '{page-post-id}' },
      replyTo: { address: '{page-post-id}', thread: 'comments:{page-id}' },
      text: "It's Thursday and I want to eat cake.",
      receivedAt: new Date(1520544814 * 1000),
      threadKeys: ['{page-post-id}'],
    });
    expect(w.message.inReplyTo).toBeUndefined();
  });

  it('a comment is answered on itself and threads onto the post it answers', () => {
    const w = writing(readOne(fixture('facebook-page-feed-comment.json')));
    expect(w.message).toMatchObject({
      channel: 'facebook',
      sourceId: '139560936755999_140077616693321',
      reporter: { name: 'user' },
      replyTo: { address: '139560936755999_140077616693321', thread: 'comments:137542570280222' },
      text: '100',
      inReplyTo: ['137542570280222_139560936744456'],
      sourceUrl: 'https://www.facebook.com/xxx/posts/1111',
    });
  });

  it('a Messenger text carries its mid, the page-scoped sender and asks for their name', () => {
    const w = writing(readOne(fixture('messenger-message-text.json')));
    expect(w.rules).toBe('chat');
    expect(w.profileOf).toEqual({ source: '<PAGE_ID>', user: '<PSID>', channel: 'messenger' });
    expect(w.message).toMatchObject({
      channel: 'messenger',
      sourceId: 'mid.1457764197618:41d102a3e1ae206a38',
      from: '<PAGE_ID>:<PSID>',
      replyTo: { address: '<PSID>', thread: 'messenger:<PAGE_ID>' },
      text: 'hello, world!',
      receivedAt: new Date(1458692752478),
    });
  });

  it("a Messenger image's link is kept to be fetched into the media store", () => {
    const w = writing(readOne(fixture('messenger-message-image.json')));
    expect(w.pictures).toEqual(['<ATTACHMENT_URL>']);
    expect(w.message).toMatchObject({
      channel: 'messenger',
      text: '',
      sourceId: 'mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c',
    });
  });

  it('an Instagram comment carries the handle and is answered as a reply to it', () => {
    const w = writing(readOne(fixture('instagram-comment.json')));
    expect(w.message).toMatchObject({
      channel: 'instagram',
      sourceId: '17865799348089039',
      from: '232323232',
      reporter: { handle: '@test' },
      replyTo: { address: '17865799348089039', thread: 'ig-replies:0' },
      text: 'This is an example.',
      inReplyTo: ['1231231234', '123123123'],
      receivedAt: new Date(1700000000 * 1000),
    });
  });

  it("the Page's and the account's own comments and messages are ignored", () => {
    const own = withValue('facebook-page-feed-comment.json', {
      from: { id: '137542570280222', name: 'Pemprov' },
    });
    expect(readOne(own)).toMatchObject({ action: 'ignore' });
    const body = json('instagram-comment.json');
    body.entry[0].changes[0].value.from.id = '0';
    expect(readOne(JSON.stringify(body))).toMatchObject({ action: 'ignore' });
    const echo = json('messenger-message-text.json');
    echo.entry[0].messaging[0].message.is_echo = true;
    expect(readOne(JSON.stringify(echo))).toMatchObject({ action: 'ignore' });
  });

  it('an edited comment is a change with the new text, the same edit always the same id', () => {
    const edited = withValue('facebook-page-feed-comment.json', { verb: 'edited', message: '100 lubang' });
    const a = readOne(edited);
    expect(a).toMatchObject({
      action: 'change',
      change: {
        channel: 'facebook',
        kind: 'edit',
        original: '139560936755999_140077616693321',
        text: '100 lubang',
      },
    });
    expect(readOne(edited)).toEqual(a);
    const other = readOne(withValue('facebook-page-feed-comment.json', { verb: 'edited', message: '101' }));
    expect(
      other.action === 'change' && a.action === 'change' && other.change.sourceId !== a.change.sourceId,
    ).toBe(true);
  });

  it('a removed comment and an unsent Instagram message are deletions', () => {
    expect(readOne(withValue('facebook-page-feed-comment.json', { verb: 'remove' }))).toMatchObject({
      action: 'change',
      change: { kind: 'deletion', original: '139560936755999_140077616693321' },
    });
    const unsent = json('messenger-message-text.json');
    unsent.object = 'instagram';
    unsent.entry[0].messaging[0].message = { mid: 'aWdfZAG1', is_deleted: true };
    expect(readOne(JSON.stringify(unsent))).toMatchObject({
      action: 'change',
      change: { channel: 'instagram', kind: 'deletion', original: 'aWdfZAG1' },
    });
  });

  it("a Messenger message_edit is an edit of the message's mid", () => {
    const body = json('messenger-message-text.json');
    body.entry[0].messaging[0] = {
      sender: { id: '<PSID>' },
      recipient: { id: '<PAGE_ID>' },
      timestamp: 1458668856463,
      message_edit: { mid: 'mid.1457764197618:41d102a3e1ae206a38', text: 'hello, Jakarta!', num_edit: 1 },
    };
    expect(readOne(JSON.stringify(body))).toMatchObject({
      action: 'change',
      change: {
        channel: 'messenger',
        kind: 'edit',
        text: 'hello, Jakarta!',
        sourceId: 'mid.1457764197618:41d102a3e1ae206a38:edit:1',
      },
    });
  });

  it('reactions and other fields are skipped; an item without its ids can never be read', () => {
    const skipped: string[] = [];
    const body = json('facebook-page-feed-comment.json');
    body.entry[0].changes.push({ field: 'ratings', value: {} });
    expect(itemsOf(JSON.stringify(body), skipped)).toHaveLength(1);
    expect(skipped).toEqual(['field:ratings']);
    expect(readOne(withValue('facebook-page-feed-comment.json', { item: 'reaction' }))).toMatchObject({
      action: 'ignore',
    });
    expect(() => readOne(withValue('facebook-page-feed-comment.json', { comment_id: undefined }))).toThrow(
      PermanentError,
    );
  });

  it('a body that is not a Meta delivery is refused with 400 naming the problem', () => {
    for (const body of [
      '[]',
      '{"object":"whatsapp_business_account","entry":[]}',
      '{"object":"page","entry":[{}]}',
    ])
      expect(() => itemsOf(body)).toThrow(WebhookRefused);
    expect(() => itemsOf('{"object":"page"}')).toThrow(/\/entry must be a list/);
  });

  it('reads items of several entries and pages in one delivery', () => {
    const body = json('facebook-page-feed-comment.json');
    body.entry.push({ ...body.entry[0], id: '999' });
    const items: MetaItem[] = itemsOf(JSON.stringify(body));
    expect(items.map((i) => (i.kind === 'feed' ? i.page : ''))).toEqual(['137542570280222', '999']);
  });
});
