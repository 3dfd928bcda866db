import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RvpsError } from './errors.ts'
import { attributeOf, descendants, readXml } from './xml-reader.ts'

function invalid(xml: string, message: RegExp): void {
  assert.throws(
    () => readXml(xml),
    (error: unknown) => error instanceof RvpsError && error.code === 'INVALID_PAYLOAD' && message.test(error.message),
    xml,
  )
}

test('elements, namespaces and attributes', () => {
  const root = readXml(
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><a xmlns="urn:d" xmlns:p="urn:p" x="1" p:y="2">' +
      '<p:b><c xmlns="" z="3"/></p:b><?pi data?><![CDATA[<not markup>]]>text &amp; &#x41;</a>\n',
  )
  assert.equal(root.namespace, 'urn:d')
  assert.equal(root.localName, 'a')
  assert.equal(attributeOf(root, undefined, 'x'), '1')
  assert.equal(attributeOf(root, 'urn:p', 'y'), '2')
  assert.equal(attributeOf(root, 'urn:d', 'x'), undefined)
  assert.deepEqual(
    [...descendants(root)].map((e) => [e.namespace, e.localName]),
    [
      ['urn:d', 'a'],
      ['urn:p', 'b'],
      [undefined, 'c'],
    ],
  )
})

test('attribute values: references decoded, literal whitespace normalized, CRLF folded', () => {
  const root = readXml(`<a v='&lt;&gt;&amp;&quot;&apos;&#65;&#x1F600;' w="a\r\nb\tc" u="&#10;"/>`)
  assert.equal(attributeOf(root, undefined, 'v'), `<>&"'A😀`)
  assert.equal(attributeOf(root, undefined, 'w'), 'a b c')
  assert.equal(attributeOf(root, undefined, 'u'), '\n')
})

test('malformed documents', () => {
  invalid('', /no root element/)
  invalid('<a>', /unclosed element/)
  invalid('<a></b>', /end tag b does not match a/)
  invalid('</a>', /content outside/)
  invalid('<a/><b/>', /content outside/)
  invalid('text<a/>', /content outside/)
  invalid('<a/>text', /content outside/)
  invalid('<!DOCTYPE a [<!ENTITY x "y">]><a/>', /DOCTYPE is not supported/)
  invalid('<a x="1" x="2"/>', /duplicate attribute x/)
  invalid('<a xmlns:p="urn:1" xmlns:q="urn:1" p:x="1" q:x="2"/>', /given twice/)
  invalid('<p:a/>', /unbound namespace prefix p/)
  invalid('<a p:x="1"/>', /unbound namespace prefix p/)
  invalid('<a xmlns:p=""/>', /empty namespace/)
  invalid('<a xmlns:xml="urn:x"/>', /reserved namespace/)
  invalid('<a x="&nbsp;"/>', /unknown entity/)
  invalid('<a>&</a>', /starts no reference/)
  invalid('<a x="&#0;"/>', /invalid character reference/)
  invalid('<a x="&#xD800;"/>', /invalid character reference/)
  invalid('<a x="<"/>', /"<" in an attribute value/)
  invalid('<a x=1/>', /quoted attribute value/)
  invalid('<a x="1"y="2"/>', /whitespace before an attribute/)
  invalid('<a>\u0001</a>', /character XML forbids/)
  invalid('<a><!-- a -- b --></a>', /"--" inside a comment/)
  invalid('<a><![CDATA[x</a>', /unterminated CDATA/)
  invalid('<a>]]></a>', /"]]>" in text/)
  invalid('<a/><?xml version="1.0"?>', /XML declaration not at the start/)
  invalid('<a><!ELEMENT a ANY></a>', /unsupported markup/)
})

test('deep nesting does not exhaust the stack', () => {
  const depth = 100_000
  const root = readXml('<a>'.repeat(depth) + '</a>'.repeat(depth))
  assert.equal([...descendants(root)].length, depth)
})
