import { formatOfPath, render, splitFormat, UnknownFormat } from './format';

describe('GeoReport v2 formats', () => {
  it('reads the format from the suffix, XML without one, and refuses any other', () => {
    expect(splitFormat('requests.json')).toEqual({ name: 'requests', format: 'json' });
    expect(splitFormat('ABCDE-FGHJK.XML')).toEqual({ name: 'ABCDE-FGHJK', format: 'xml' });
    expect(splitFormat('services')).toEqual({ name: 'services', format: 'xml' });
    expect(() => splitFormat('requests.csv')).toThrow(UnknownFormat);
    expect(formatOfPath('/open311/v2/requests/x.json')).toBe('json');
    expect(formatOfPath('/open311/v2/requests/x')).toBe('xml');
  });

  it('writes a list as the root element holding one element per item, with the UTF-8 declaration', () => {
    const { contentType, text } = render('xml', 'service_requests', 'request', [
      { service_request_id: 'A', lat: -6.2, status_notes: null },
    ]);
    expect(contentType).toBe('text/xml; charset=utf-8');
    expect(text).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request><service_request_id>A</service_request_id><lat>-6.2</lat><status_notes/></request></service_requests>',
    );
  });

  it('escapes markup in text and drops characters XML cannot carry', () => {
    const { text } = render('xml', 'errors', 'error', [{ description: 'a < b & "c" \u0001' }]);
    expect(text).toContain('<description>a &lt; b &amp; &quot;c&quot; </description>');
  });

  it('names the items of the lists the spec nests (endpoints, formats, attributes, values)', () => {
    const { text } = render('xml', 'discovery', null, { endpoints: [{ formats: ['text/xml'] }] });
    expect(text).toContain(
      '<endpoints><endpoint><formats><format>text/xml</format></formats></endpoint></endpoints>',
    );
  });

  it('writes JSON as the bare list or object', () => {
    expect(render('json', 'services', 'service', [{ a: 1 }]).text).toBe('[{"a":1}]');
  });
});
