import { parseAuthenticationResults, senderVerdict } from './sender-authentication';

const OURS = 'mx.jakarta.go.id';
const FROM = 'siti@warga.example';

/** As Postfix with OpenDKIM and an SPF policy daemon writes it, folded over lines. */
const passing = `${OURS};\r\n\tdkim=pass (2048-bit key; unprotected) header.d=warga.example header.i=@warga.example header.s=s1 header.b=AbCdEf;\r\n\tspf=pass (mx.jakarta.go.id: domain of siti@warga.example designates 192.0.2.7 as permitted sender) smtp.mailfrom=siti@warga.example`;

describe('Authentication-Results of our receiving server', () => {
  it('reads the authserv-id, the methods, their results and properties, comments aside', () => {
    expect(parseAuthenticationResults(passing)).toEqual({
      authservId: OURS,
      results: [
        {
          method: 'dkim',
          result: 'pass',
          props: {
            'header.d': 'warga.example',
            'header.i': '@warga.example',
            'header.s': 's1',
            'header.b': 'abcdef',
          },
        },
        { method: 'spf', result: 'pass', props: { 'smtp.mailfrom': 'siti@warga.example' } },
      ],
    });
    expect(parseAuthenticationResults(`${OURS} 1; none`)).toEqual({ authservId: OURS, results: [] });
    expect(parseAuthenticationResults('')).toBeNull();
  });

  it('passes a mail our server found signed by the From domain (or its parent) and allowed by SPF', () => {
    expect(senderVerdict([passing], OURS, FROM)).toBe('pass');
    expect(senderVerdict([passing], OURS.toUpperCase(), FROM)).toBe('pass');
    expect(senderVerdict([passing], OURS, 'siti@kantor.warga.example')).toBe('pass');
  });

  it('does not pass DKIM of another domain, nor DKIM without SPF', () => {
    const otherSigner = passing.replaceAll('header.d=warga.example', 'header.d=attacker.example');
    expect(senderVerdict([otherSigner], OURS, FROM)).toBe('unknown');
    expect(senderVerdict([passing], OURS, 'siti@notwarga.example')).toBe('unknown');
    const noSpf = `${OURS}; dkim=pass header.d=warga.example; spf=none smtp.mailfrom=warga.example`;
    expect(senderVerdict([noSpf], OURS, FROM)).toBe('unknown');
  });

  it('calls a mail forged when our server says DKIM, SPF or DMARC failed', () => {
    expect(senderVerdict([`${OURS}; dkim=fail header.d=warga.example; spf=pass`], OURS, FROM)).toBe('fail');
    expect(senderVerdict([`${OURS}; spf=fail smtp.mailfrom=warga.example`], OURS, FROM)).toBe('fail');
    expect(senderVerdict([`${OURS}; dmarc=fail header.from=warga.example`], OURS, FROM)).toBe('fail');
    expect(senderVerdict([`${OURS}; spf=softfail smtp.mailfrom=warga.example`], OURS, FROM)).toBe('unknown');
  });

  it('trusts no header written by another server or by the sender', () => {
    const spoofed = passing.replace(OURS, 'mx.attacker.example');
    expect(senderVerdict([spoofed], OURS, FROM)).toBe('unknown');
    // Ours is on top and says fail; a "pass" with our id further down was written by the sender.
    const ours = `${OURS}; dkim=none; spf=fail smtp.mailfrom=warga.example`;
    expect(senderVerdict([ours, passing], OURS, FROM)).toBe('fail');
    expect(senderVerdict([], OURS, FROM)).toBe('unknown');
    expect(senderVerdict([passing], OURS, undefined)).toBe('unknown');
  });
});
