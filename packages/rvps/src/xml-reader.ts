import { RvpsError } from './errors.ts'

/**
 * A small, strict XML 1.0 reader for manifests (SWID / TCG RIM): elements, attributes and
 * namespaces, nothing more. Text, comments, CDATA and processing instructions are checked and
 * dropped. A DOCTYPE is refused (no DTDs, so no custom entities). Only the five predefined
 * entities and character references are decoded. Errors are `INVALID_PAYLOAD` with an offset.
 */
export interface XmlAttribute {
  readonly namespace: string | undefined
  readonly localName: string
  readonly value: string
}

export interface XmlElement {
  readonly namespace: string | undefined
  readonly localName: string
  readonly attributes: readonly XmlAttribute[]
  readonly children: XmlElement[]
}

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace'
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/'
const NAME_START = 'A-Za-z_\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\uFFFD'
// A slightly wider name alphabet than XML 1.0 (all of U+200C–U+FFFD, astral letters as pairs).
// eslint-disable-next-line no-misleading-character-class -- combining marks are name characters here
const NAME = new RegExp(`[${NAME_START}:][${NAME_START}:0-9.\\-\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*`, 'y')
const SPACE = /[ \t\r\n]*/y
// Characters XML 1.0 forbids anywhere, lone surrogates included.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/u
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

interface OpenElement {
  readonly qname: string
  readonly scope: ReadonlyMap<string, string>
  readonly element: XmlElement
}

class XmlReader {
  readonly text: string
  position = 0

  constructor(text: string) {
    this.text = text
  }

  fail(why: string): never {
    throw new RvpsError('INVALID_PAYLOAD', `XML manifest: ${why} at offset ${this.position}`)
  }

  skipSpace(): void {
    SPACE.lastIndex = this.position
    SPACE.exec(this.text)
    this.position = SPACE.lastIndex
  }

  startsWith(token: string): boolean {
    return this.text.startsWith(token, this.position)
  }

  expect(token: string): void {
    if (!this.startsWith(token)) this.fail(`expected ${JSON.stringify(token)}`)
    this.position += token.length
  }

  name(): string {
    NAME.lastIndex = this.position
    const match = NAME.exec(this.text)
    if (match === null) this.fail('expected a name')
    this.position = NAME.lastIndex
    return match[0]
  }

  /** Skips to just after `end`, returning what was in between. */
  until(end: string, what: string): string {
    const at = this.text.indexOf(end, this.position)
    if (at < 0) this.fail(`unterminated ${what}`)
    const content = this.text.slice(this.position, at)
    this.position = at + end.length
    return content
  }

  /** Decodes entity and character references in text or an attribute value. */
  decode(raw: string): string {
    return raw.replace(/&([^;&]*);|&/g, (whole, body: string | undefined) => {
      if (body === undefined) this.fail('"&" that starts no reference')
      const predefined = PREDEFINED_ENTITIES[body]
      if (predefined !== undefined) return predefined
      const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body)
      if (numeric === null) this.fail(`unknown entity ${whole}`)
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2] ?? '', 10)
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail(`invalid character reference ${whole}`)
      const character = String.fromCodePoint(code)
      if (FORBIDDEN_CHARACTER.test(character)) this.fail(`invalid character reference ${whole}`)
      return character
    })
  }

  /** Comments, processing instructions and (outside the root) whitespace. */
  misc(): boolean {
    if (this.startsWith('<!--')) {
      this.position += 4
      const body = this.until('-->', 'comment')
      if (body.includes('--') || body.endsWith('-')) this.fail('"--" inside a comment')
      return true
    }
    if (this.startsWith('<?')) {
      this.position += 2
      const target = this.name()
      if (target.toLowerCase() === 'xml') this.fail('XML declaration not at the start')
      this.until('?>', 'processing instruction')
      return true
    }
    return false
  }

  attributeValue(): string {
    const quote = this.text[this.position]
    if (quote !== '"' && quote !== "'") this.fail('expected a quoted attribute value')
    this.position += 1
    const raw = this.until(quote, 'attribute value')
    if (raw.includes('<')) this.fail('"<" in an attribute value')
    // Attribute-value normalization: literal whitespace becomes a space (references do not).
    return this.decode(raw.replace(/[\t\n\r]/g, ' '))
  }
}

function resolve(reader: XmlReader, qname: string, scope: ReadonlyMap<string, string>, isAttribute: boolean) {
  const colon = qname.indexOf(':')
  if (colon < 0) {
    // `xmlns=""` undeclares the default namespace.
    const namespace = isAttribute ? undefined : scope.get('')
    return { namespace: namespace === '' ? undefined : namespace, localName: qname }
  }
  const prefix = qname.slice(0, colon)
  const localName = qname.slice(colon + 1)
  if (prefix.length === 0 || localName.length === 0 || localName.includes(':')) {
    reader.fail(`invalid qualified name ${qname}`)
  }
  const namespace = scope.get(prefix)
  if (namespace === undefined) reader.fail(`unbound namespace prefix ${prefix}`)
  return { namespace, localName }
}

function namespaceDeclaration(reader: XmlReader, name: string, value: string): string | undefined {
  if (name !== 'xmlns' && !name.startsWith('xmlns:')) return undefined
  const prefix = name === 'xmlns' ? '' : name.slice(6)
  if (name !== 'xmlns' && (prefix.length === 0 || prefix.includes(':'))) reader.fail(`invalid declaration ${name}`)
  if (prefix === 'xmlns' || (prefix === 'xml') !== (value === XML_NAMESPACE) || value === XMLNS_NAMESPACE) {
    reader.fail(`reserved namespace binding ${name}`)
  }
  if (prefix !== '' && value === '') reader.fail(`empty namespace for prefix ${prefix}`)
  return prefix
}

function openElement(reader: XmlReader, parentScope: ReadonlyMap<string, string>): OpenElement {
  const qname = reader.name()
  const rawAttributes: { qname: string; value: string }[] = []
  const declared = new Map<string, string>()
  const seen = new Set<string>()
  for (;;) {
    const before = reader.position
    reader.skipSpace()
    if (reader.startsWith('/>') || reader.startsWith('>')) break
    if (reader.position === before) reader.fail('expected whitespace before an attribute')
    const name = reader.name()
    reader.skipSpace()
    reader.expect('=')
    reader.skipSpace()
    const value = reader.attributeValue()
    if (seen.has(name)) reader.fail(`duplicate attribute ${name}`)
    seen.add(name)
    const prefix = namespaceDeclaration(reader, name, value)
    if (prefix === undefined) rawAttributes.push({ qname: name, value })
    else declared.set(prefix, value)
  }
  const scope = declared.size === 0 ? parentScope : new Map([...parentScope, ...declared])
  const attributes: XmlAttribute[] = []
  for (const raw of rawAttributes) {
    const attribute = { ...resolve(reader, raw.qname, scope, true), value: raw.value }
    if (attributes.some((a) => a.namespace === attribute.namespace && a.localName === attribute.localName)) {
      reader.fail(`attribute ${raw.qname} given twice through namespace prefixes`)
    }
    attributes.push(attribute)
  }
  return { qname, scope, element: { ...resolve(reader, qname, scope, false), attributes, children: [] } }
}

/** Parses a whole document; returns its root element. */
export function readXml(text: string): XmlElement {
  const normalized = text.replace(/\r\n?/g, '\n')
  const r: XmlReader = new XmlReader(normalized)
  if (FORBIDDEN_CHARACTER.test(normalized)) r.fail('a character XML forbids')
  if (r.startsWith('<?xml') && /^<\?xml[ \t\n]/.test(normalized)) r.until('?>', 'XML declaration')
  const initialScope = new Map([['xml', XML_NAMESPACE]])
  let root: XmlElement | undefined
  const stack: OpenElement[] = []
  for (;;) {
    if (stack.length === 0) {
      r.skipSpace()
      if (r.position === normalized.length) break
      if (r.misc()) continue
      if (r.startsWith('<!DOCTYPE')) r.fail('DOCTYPE is not supported')
      if (root !== undefined || !r.startsWith('<') || r.startsWith('</')) r.fail('content outside the root element')
    }
    const parent = stack.at(-1)
    const textEnd = normalized.indexOf('<', r.position)
    if (textEnd < 0) r.fail('unclosed element')
    if (textEnd > r.position) {
      const text = normalized.slice(r.position, textEnd)
      if (text.includes(']]>')) r.fail('"]]>" in text')
      r.decode(text)
      r.position = textEnd
    }
    if (r.misc()) continue
    if (r.startsWith('<![CDATA[')) {
      if (parent === undefined) r.fail('CDATA outside the root element')
      r.position += 9
      r.until(']]>', 'CDATA section')
      continue
    }
    if (r.startsWith('<!')) r.fail('unsupported markup declaration')
    if (r.startsWith('</')) {
      r.position += 2
      const qname = r.name()
      r.skipSpace()
      r.expect('>')
      const open = stack.pop()
      if (open?.qname !== qname) r.fail(`end tag ${qname} does not match ${open?.qname ?? 'any element'}`)
      continue
    }
    r.expect('<')
    const opened = openElement(r, parent?.scope ?? initialScope)
    if (parent === undefined) root = opened.element
    else parent.element.children.push(opened.element)
    if (r.startsWith('/>')) r.position += 2
    else {
      r.expect('>')
      stack.push(opened)
    }
  }
  if (root === undefined) r.fail('no root element')
  return root
}

/** The element and all elements below it, in document order (iterative: no recursion limit). */
export function* descendants(root: XmlElement): Generator<XmlElement> {
  const pending: XmlElement[] = [root]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    yield next
    for (let i = next.children.length - 1; i >= 0; i--) pending.push(next.children[i] as XmlElement)
  }
}

/** The value of an attribute, or undefined. */
export function attributeOf(element: XmlElement, namespace: string | undefined, localName: string): string | undefined {
  return element.attributes.find((a) => a.namespace === namespace && a.localName === localName)?.value
}
