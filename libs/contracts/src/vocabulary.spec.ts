import { channelLabel, channelLabels, isChannelName, KNOWN_CHANNELS } from './vocabulary';

describe('channel vocabulary', () => {
  it('labels every channel of today and the ones coming, in both languages', () => {
    for (const name of [
      'jaki',
      'twitter',
      'facebook',
      'instagram',
      'email',
      'whatsapp',
      'sms',
      'lapor',
      'media',
      'letter',
      'walk_in',
      'phone',
      'officer',
      'telegram',
      'messenger',
    ]) {
      expect(isChannelName(name)).toBe(true);
      expect(Object.keys(KNOWN_CHANNELS)).toContain(name);
    }
    expect(channelLabel('walk_in')).toBe('Datang langsung');
    expect(channelLabel('walk_in', 'en')).toBe('Walk-in');
    expect(channelLabels('email')).toEqual({ id: 'Surel', en: 'E-mail' });
  });

  it('shows a name it does not know readably instead of failing', () => {
    expect(channelLabel('pigeon_post')).toBe('Pigeon Post');
    expect(channelLabels('pigeon_post')).toEqual({ id: 'Pigeon Post', en: 'Pigeon Post' });
    // Names that collide with Object.prototype are still just names.
    expect(channelLabel('constructor')).toBe('Constructor');
  });

  it('takes any registered-name shape and nothing else', () => {
    expect(isChannelName('pigeon_post')).toBe(true);
    expect(isChannelName('line2')).toBe(true);
    for (const bad of ['', 'x', 'Telegram', '2go', 'pigeon-post', 'a'.repeat(33), 42, null])
      expect(isChannelName(bad)).toBe(false);
  });
});
