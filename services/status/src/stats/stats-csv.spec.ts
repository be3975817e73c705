import { toCsv } from './stats-csv';

describe('toCsv', () => {
  it('quotes separators and quotes, leaves numbers and empty cells plain', () => {
    expect(toCsv(['a', 'b', 'c'], [['Jl. "Kramat", Senen', 3, null]])).toBe(
      'a,b,c\r\n"Jl. ""Kramat"", Senen",3,\r\n',
    );
  });

  it('keeps a typed text from running as a spreadsheet formula, but not a negative number', () => {
    expect(toCsv(['reason'], [['=HYPERLINK("x")'], ['-1'], [-1]])).toBe(
      'reason\r\n"\'=HYPERLINK(""x"")"\r\n\'-1\r\n-1\r\n',
    );
  });
});
