import { replyAddress } from '../vault/identity-vault';

describe('replyAddress', () => {
  const replyTo = { sourceId: 'src-1', thread: null };

  it('takes the address the adapter named, whatever the channel', () => {
    const reporter = { anonymous: false, phone: '+6281234567890', replyTo: 'tg:998877' };
    expect(replyAddress({ reporter, replyTo })).toBe('tg:998877');
  });

  it('sends nothing when the adapter said it does not answer, even with a contact', () => {
    const reporter = { anonymous: false, phone: '+6281234567890', replyTo: null };
    expect(replyAddress({ reporter, replyTo })).toBeNull();
  });

  it('falls back, for adapters that name none, to the handle, then the phone, then the e-mail', () => {
    const all = { anonymous: false, handle: 'warga_jkt', phone: '+6281234567890', email: 'w@example.id' };
    expect(replyAddress({ reporter: all, replyTo })).toBe('warga_jkt');
    expect(replyAddress({ reporter: { ...all, handle: undefined }, replyTo })).toBe('+6281234567890');
    expect(replyAddress({ reporter: { anonymous: false, email: 'w@example.id' }, replyTo })).toBe(
      'w@example.id',
    );
    expect(replyAddress({ reporter: { anonymous: true }, replyTo })).toBeNull();
  });
});
