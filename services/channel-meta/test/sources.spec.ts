import { parseSources } from '../src/sources';

describe('META_PAGES', () => {
  it('reads each Page or account with its own token', () => {
    const s = parseSources(' 137542570280222=EAABtokenOne , 17841400000000000=IGQtokenTwo');
    expect([...s.entries()]).toEqual([
      ['137542570280222', 'EAABtokenOne'],
      ['17841400000000000', 'IGQtokenTwo'],
    ]);
    expect(parseSources(undefined).size).toBe(0);
  });

  it('names every wrong entry by position and id, never showing a token', () => {
    let message = '';
    try {
      parseSources(
        '137542570280222=EAABtokenOne,page=EAABtokenTwo,42=,137542570280222=EAABtokenOne,EAABsecretToken',
      );
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('entry 2: the id must be');
    expect(message).toContain('entry 3 (42): the token is empty');
    expect(message).toContain('entry 4: 137542570280222 is listed twice');
    expect(message).toContain('entry 5 must be id=token');
    expect(message).not.toMatch(/EAAB/);
  });
});
