import { interpolate, interpolateTree, InvalidTemplateError, MissingVariableError } from './interpolate';

describe('Compose interpolation', () => {
  const env = { SET: 'value', EMPTY: '' };

  it('substitutes $VAR and ${VAR}, unset as empty', () => {
    expect(interpolate('a-$SET-${SET}-b', env)).toBe('a-value-value-b');
    expect(interpolate('[${NOPE}][$NOPE]', env)).toBe('[][]');
    expect(interpolate('$SET_x', { SET_x: 'long name wins' })).toBe('long name wins');
  });

  it('takes $$ as a literal dollar', () => {
    expect(interpolate('cost $$5 and "$$@"', env)).toBe('cost $5 and "$@"');
    expect(interpolate('$${SET}', env)).toBe('${SET}');
  });

  it('uses a default with :- when unset or empty, with - only when unset', () => {
    expect(interpolate('${NOPE:-d}|${EMPTY:-d}|${SET:-d}', env)).toBe('d|d|value');
    expect(interpolate('${NOPE-d}|${EMPTY-d}|${SET-d}', env)).toBe('d||value');
  });

  it('interpolates inside a default, and keeps text after it', () => {
    expect(interpolate('${NOPE:-${SET}/x}/lacak/{code}', env)).toBe('value/x/lacak/{code}');
    expect(interpolate('${NOPE:-http://127.0.0.1:3000}', env)).toBe('http://127.0.0.1:3000');
  });

  it('stops with the message of :? when unset or empty, of ? only when unset', () => {
    expect(() => interpolate('x${NOPE:?set NOPE: please}', env)).toThrow(
      new MissingVariableError('NOPE', 'set NOPE: please'),
    );
    expect(() => interpolate('${EMPTY:?set it}', env)).toThrow(MissingVariableError);
    expect(interpolate('${EMPTY?set it}', env)).toBe('');
    expect(() => interpolate('${NOPE?set it}', env)).toThrow(
      'required variable NOPE is missing a value: set it',
    );
    expect(interpolate('${SET:?set it}', env)).toBe('value');
  });

  it('replaces with :+ when set and not empty, with + when set', () => {
    expect(interpolate('${SET:+r}|${EMPTY:+r}|${NOPE:+r}', env)).toBe('r||');
    expect(interpolate('${SET+r}|${EMPTY+r}|${NOPE+r}', env)).toBe('r|r|');
  });

  it('refuses an invalid template', () => {
    expect(() => interpolate('"$@"', env)).toThrow(InvalidTemplateError);
    expect(() => interpolate('${SET', env)).toThrow(InvalidTemplateError);
    expect(() => interpolate('${1BAD}', env)).toThrow(InvalidTemplateError);
    expect(() => interpolate('${SET:=x}', env)).toThrow(InvalidTemplateError);
    expect(() => interpolate('trailing $', env)).toThrow(InvalidTemplateError);
  });

  it('walks a parsed file: values only, every failure with its path', () => {
    const { value, errors } = interpolateTree(
      {
        services: { a: { environment: { $KEY: '${SET}', B: '${X:?set X}', N: 3 }, ports: ['${Y:?set Y}'] } },
      },
      env,
    );
    expect(value.services.a.environment).toEqual({ $KEY: 'value', B: '${X:?set X}', N: 3 });
    expect(errors.map((e) => [e.path, (e.error as MissingVariableError).variable])).toEqual([
      ['.services.a.environment.B', 'X'],
      ['.services.a.ports[0]', 'Y'],
    ]);
  });
});
