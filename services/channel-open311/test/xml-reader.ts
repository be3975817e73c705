/**
 * A strict reader for the XML GeoReport v2 answers are made of: elements, text and the XML
 * declaration, no attributes. A tag that does not close in order, stray text outside the root or
 * an unknown entity throws, so a test that reads an answer also proves it well-formed.
 */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(text: string): string {
  return text.replace(/&([a-z]+);/g, (_, name: string) => {
    const ch = ENTITIES[name];
    if (ch === undefined) throw new Error(`unknown entity &${name};`);
    return ch;
  });
}

export function readXml(source: string): XmlElement {
  const body = source.replace(/^<\?xml version="1\.0" encoding="utf-8"\?>\s*/i, '');
  if (body === source) throw new Error('no UTF-8 XML declaration');
  const stack: XmlElement[] = [{ name: '#document', children: [], text: '' }];
  const token = /<(\/?)([A-Za-z_][\w.-]*)(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < body.length && (m = token.exec(body))) {
    at = token.lastIndex;
    const top = stack.at(-1)!;
    const [, close, name, selfClosing, text] = m;
    if (text !== undefined) {
      if (stack.length === 1) {
        if (text.trim()) throw new Error('text outside the root element');
        continue;
      }
      if (text.includes('&') && !/^([^&]|&[a-z]+;)*$/.test(text)) throw new Error('bare & in text');
      top.text += unescape(text);
    } else if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const el: XmlElement = { name: name!, children: [], text: '' };
      top.children.push(el);
      if (!selfClosing) stack.push(el);
    }
  }
  if (at !== body.length) throw new Error(`unreadable XML at ${at}: ${body.slice(at, at + 30)}`);
  if (stack.length !== 1) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  const [root, ...more] = stack[0]!.children;
  if (!root || more.length) throw new Error('an XML document has exactly one root element');
  return root;
}

/** The leaf fields of one element as strings (an empty element is ''). */
export function fieldsOf(el: XmlElement): Record<string, string> {
  return Object.fromEntries(el.children.map((c) => [c.name, c.text]));
}
