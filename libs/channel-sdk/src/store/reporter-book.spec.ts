import { isReporterRef } from '@aduan/contracts';
import type { DataSource } from 'typeorm';
import { ReporterBook } from './reporter-book';

describe('a reporter reference', () => {
  const book = new ReporterBook({} as DataSource, 'a-tracking-secret-for-this-test-only');

  it('is the same for the same contact on the same channel, however the number is written', () => {
    const a = book.refFor('whatsapp', { anonymous: false, phone: '+62 813-7771-2345', name: 'Sutarmi' });
    const b = book.refFor('whatsapp', { anonymous: false, phone: '+6281377712345', name: 'Bu Sutarmi' });
    expect(isReporterRef(a)).toBe(true);
    expect(b).toBe(a);
    expect(book.refFor('jaki', { anonymous: false, handle: '@Sutarmi_W' })).toBe(
      book.refFor('jaki', { anonymous: false, handle: 'sutarmi_w' }),
    );
  });

  it('differs between channels, contacts and secrets, and shows nothing of the contact', () => {
    const ref = book.refFor('whatsapp', { anonymous: false, phone: '+6281377712345' });
    expect(book.refFor('sms', { anonymous: false, phone: '+6281377712345' })).not.toBe(ref);
    expect(book.refFor('whatsapp', { anonymous: false, phone: '+6281377712346' })).not.toBe(ref);
    const other = new ReporterBook({} as DataSource, 'another-secret-of-this-test-only');
    expect(other.refFor('whatsapp', { anonymous: false, phone: '+6281377712345' })).not.toBe(ref);
    expect(ref).not.toMatch(/81377712345/);
  });

  it('is random for an anonymous or contact-less reporter, so nothing links their reports', () => {
    const anonymous = { anonymous: true, phone: '+6281377712345' };
    expect(book.refFor('whatsapp', anonymous)).not.toBe(book.refFor('whatsapp', anonymous));
    const nameOnly = { anonymous: false, name: 'Sutarmi' };
    const ref = book.refFor('officer', nameOnly);
    expect(isReporterRef(ref)).toBe(true);
    expect(book.refFor('officer', nameOnly)).not.toBe(ref);
  });
});
